using System.Collections.Generic;
using System.Linq;
using IommuContracts.Generators.Model;

namespace IommuContracts.Generators.Emit;

/// <summary>
/// Emits the typed client stub of a command as an extension method of IIoctlFile in the namespace's
/// <c>IoctlStubs</c> class: inputs as parameters, outputs as <c>out</c>, in/out fields as <c>ref</c> (or, with an
/// output type, as an input plus an <c>out</c> of that type); size, argsz and reserved fields are never the
/// caller's business.
/// </summary>
internal static class StubEmitter
{
    public const string ClassName = "IoctlStubs";

    private static readonly HashSet<string> Keywords = new()
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    public static void Emit(IndentedWriter writer, IoctlStructModel model)
    {
        var access = model.IsPublic ? "public " : "internal ";
        // The class is shared by every stub of the namespace, so the GeneratedCode marker goes on the method.
        using (writer.Block((model.IsPublic ? "public " : string.Empty) + "static partial class " + ClassName))
        {
            writer.Line("/// <summary>Issues " + model.KernelName + " (" + IndentedWriter.Hex(model.Command) + ") and returns its errno.</summary>");
            writer.Line("/// <param name=\"file\">The open file to issue it on.</param>");
            var parameters = StubParameters(model).ToList();
            if (model.Argument == ArgumentKind.Value)
            {
                writer.Line("/// <param name=\"value\">The ioctl's integer argument.</param>");
                writer.Line("/// <param name=\"result\">The non-negative value the ioctl returned; 0 when it failed.</param>");
            }
            else
            {
                foreach (var parameter in parameters)
                {
                    writer.Line("/// <param name=\"" + parameter.Name.TrimStart('@') + "\">" + parameter.Documentation(model.FullName) + "</param>");
                }
            }

            writer.Line("/// <returns><see cref=\"global::IommuContracts.Errno.None\"/> on success, otherwise the errno the command failed with.</returns>");
            writer.Line(GeneratedFile.CodeAttribute);
            writer.Line("[global::IommuContracts.Contracts.MustCheck]");
            if (model.Contract.IovaRangesEffect != 0)
            {
                writer.Line("[global::IommuContracts.Contracts.IovaRanges((global::IommuContracts.Contracts.IovaRangesEffect)" + model.Contract.IovaRangesEffect + ")]");
            }

            var fileParameter = FileContract(model.Contract) + "this global::IommuContracts.IIoctlFile file";
            if (model.Argument == ArgumentKind.Value)
            {
                writer.Line(access + "static global::IommuContracts.Errno " + model.StubName + "(" + fileParameter + ", ulong value, out int result)");
                writer.Line("    => global::IommuContracts.Ioctl.IoctlClient.InvokeValue<" + model.FullName + ">(file, value, out result);");
                return;
            }

            var signature = fileParameter + string.Concat(parameters.Select(p => ", " + p.Declaration));
            using (writer.Block(access + "static global::IommuContracts.Errno " + model.StubName + "(" + signature + ")"))
            {
                writer.Line("var __argument = default(" + model.FullName + ");");
                foreach (var parameter in parameters.Where(p => p.Direction != "out"))
                {
                    writer.Line("__argument." + parameter.Field.Name + " = " + parameter.Name + ";");
                }

                writer.Line("var __result = global::IommuContracts.Ioctl.IoctlClient.Invoke(file, ref __argument);");
                foreach (var parameter in parameters.Where(p => p.Direction.Length > 0))
                {
                    writer.Line(parameter.Name + " = " + parameter.Returned + ";");
                }

                writer.Line("return __result;");
            }
        }
    }

    // The analyzers read a stub's contract from attributes on its file parameter.
    private static string FileContract(StubContract contract)
    {
        var attributes = string.Empty;
        if (contract.RequiresState is { } state)
        {
            attributes += "[global::IommuContracts.Contracts.RequiresState(" + IndentedWriter.Literal(state)
                + (contract.StateRule is { } rule ? ", Rule = " + IndentedWriter.Literal(rule) : string.Empty) + ")] ";
        }

        if (contract.TransitionsTo is { } target)
        {
            attributes += "[global::IommuContracts.Contracts.TransitionsTo(" + IndentedWriter.Literal(target) + ")] ";
        }

        return attributes;
    }

    // Inputs first, then ref and out fields, each group in field order. An in/out field with an output type is
    // both: an input of its own type, and an out parameter of the narrower type named after that type.
    private static IEnumerable<StubParameter> StubParameters(IoctlStructModel model)
    {
        var visible = model.Fields.Where(f => !f.Has(FieldRole.Size | FieldRole.Reserved | FieldRole.UncheckedReserved)).ToList();
        var inputs = visible
            .Where(f => Direction(f).Length == 0 || f.OutputTypeName is not null)
            .Select(f => new StubParameter(f, ParameterName(f.Name), string.Empty, f.TypeName, mustBeUsed: f.OutputTypeName is null))
            .ToList();
        var outputs = new List<StubParameter>();
        foreach (var field in visible.Where(f => Direction(f).Length > 0))
        {
            if (field.OutputTypeName is { } returned)
            {
                var name = ParameterName(SimpleName(returned));
                if (inputs.Concat(outputs).Any(p => p.Name == name))
                {
                    name = ParameterName(field.Name) + "Out";
                }

                outputs.Add(new StubParameter(field, name, "out", returned, mustBeUsed: true));
            }
            else
            {
                outputs.Add(new StubParameter(field, ParameterName(field.Name), Direction(field), field.TypeName, mustBeUsed: true));
            }
        }

        return inputs.Concat(outputs);
    }

    private static string SimpleName(string fullyQualified) => fullyQualified.Substring(fullyQualified.LastIndexOf('.') + 1);

    private static string Direction(FieldModel field)
        => field.Has(FieldRole.InOut) ? "ref" : field.Has(FieldRole.Output) ? "out" : string.Empty;

    private static string ParameterName(string fieldName)
    {
        var name = char.ToLowerInvariant(fieldName[0]) + fieldName.Substring(1);
        if (name == "file" || name.StartsWith("__", System.StringComparison.Ordinal))
        {
            // Keep clear of the stub's own parameter and locals.
            return name.TrimStart('_') + "Value";
        }

        return Keywords.Contains(name) ? "@" + name : name;
    }

    private sealed class StubParameter
    {
        private readonly bool _mustBeUsed;

        public StubParameter(FieldModel field, string name, string direction, string typeName, bool mustBeUsed)
        {
            Field = field;
            Name = name;
            Direction = direction;
            TypeName = typeName;
            _mustBeUsed = mustBeUsed;
        }

        public FieldModel Field { get; }

        public string Name { get; }

        public string Direction { get; }

        public string TypeName { get; }

        /// <summary>
        /// What the call leaves in the parameter: the field, or the field rebuilt as the narrower output type. The
        /// latter only on success: on error the kernel wrote nothing back, and the field still holds the input,
        /// which need not be of the output's kind (an IOAS ID is no HWPT ID).
        /// </summary>
        public string Returned => TypeName == Field.TypeName
            ? "__argument." + Field.Name
            : "__result == global::IommuContracts.Errno.None ? new " + TypeName + "(__argument." + Field.Name + ".Value) : default";

        /// <summary>What the parameter carries, pointing at the field it fills or reads back.</summary>
        public string Documentation(string structName)
        {
            var field = "<see cref=\"" + structName + "." + Field.Name + "\"/>";
            if (Direction == "ref")
            {
                return "In: the value for " + field + "; out: that field as the call left it.";
            }

            if (Direction == "out")
            {
                return TypeName == Field.TypeName
                    ? "Receives " + field + "."
                    : "Receives " + field + " as this type when the call succeeds; default when it fails.";
            }

            return "The value for " + field + ".";
        }

        public string Declaration => (_mustBeUsed && Field.MustBeUsedRule is { } rule ? "[global::IommuContracts.Contracts.OutputMustBeUsed(" + IndentedWriter.Literal(rule) + ")] " : string.Empty)
            + (Direction.Length > 0 ? Direction + " " : string.Empty) + TypeName + " " + Name;
    }
}
