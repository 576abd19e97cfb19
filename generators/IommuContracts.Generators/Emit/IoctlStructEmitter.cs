using System.Collections.Generic;
using System.Linq;
using IommuContracts.Generators.Model;

namespace IommuContracts.Generators.Emit;

/// <summary>Emits a command struct's metadata, validation and response code, and its typed client stub.</summary>
internal static class IoctlStructEmitter
{
    private const string Errno = "global::IommuContracts.Errno";
    private const string Ioctl = "global::IommuContracts.Ioctl";
    private const string Contracts = "global::IommuContracts.Contracts";

    public static string Emit(IoctlStructModel model)
    {
        var writer = GeneratedFile.Start(model.Namespace);
        EmitStruct(writer, model);
        writer.Line();
        StubEmitter.Emit(writer, model);
        return writer.ToString();
    }

    private static void EmitStruct(IndentedWriter writer, IoctlStructModel model)
    {
        var self = model.Name;
        var isValue = model.Argument == ArgumentKind.Value;
        var contract = isValue ? Ioctl + ".IIoctlCommand" : Ioctl + ".IIoctlStruct<" + self + ">";
        writer.Line(GeneratedFile.CodeAttribute);
        using (writer.Block("partial struct " + self + " : " + contract))
        {
            writer.Line("/// <summary>" + model.KernelName + " = _IO(" + IndentedWriter.Hex(model.Type) + ", " + IndentedWriter.Hex(model.Number) + ").</summary>");
            writer.Line("public const uint Command = " + IndentedWriter.Hex(model.Command) + ";");
            if (!isValue)
            {
                writer.Line();
                writer.Line("/// <summary>sizeof(" + self + "), laid out as the kernel's struct.</summary>");
                writer.Line("public const int NativeSize = " + model.NativeSize + ";");
                writer.Line();
                writer.Line("/// <summary>The smallest size user space may pass.</summary>");
                writer.Line("public const int MinimumSize = " + model.MinimumSize + ";");
            }

            writer.Line();
            writer.Line("private static readonly " + Ioctl + ".IoctlLayout s_layout = new(");
            writer.Line("    " + IndentedWriter.Literal(model.KernelName) + ",");
            writer.Line("    Command,");
            writer.Line("    " + (isValue ? "0" : "NativeSize") + ",");
            writer.Line("    " + (isValue ? "0" : "MinimumSize") + ",");
            writer.Line("    " + Contracts + ".IoctlConvention." + model.Convention + ",");
            writer.Line("    " + Contracts + ".IoctlCopyIn." + model.CopyIn + ",");
            writer.Line("    " + Contracts + ".IoctlResponse." + model.Response + ",");
            writer.Line("    reportsOnError: " + (model.Fields.Any(f => f.Has(FieldRole.ReportedOnError)) ? "true" : "false") + ");");
            writer.Line();
            writer.Line("/// <summary>What the shared argument code needs to know about " + model.KernelName + ".</summary>");
            writer.Line("public static " + Ioctl + ".IoctlLayout Layout => s_layout;");
            if (isValue)
            {
                return;
            }

            writer.Line();
            EmitValidate(writer, model);
            writer.Line();
            EmitRequiredSize(writer, model);
            writer.Line();
            EmitWriteOutputs(writer, model);
            writer.Line();
            EmitClearReported(writer, model);
        }
    }

    private static void EmitValidate(IndentedWriter writer, IoctlStructModel model)
    {
        var unsupported = Errno + (model.Convention == Convention.Iommufd ? ".EOPNOTSUPP" : ".EINVAL");
        using (writer.Block("static " + Errno + " " + Ioctl + ".IIoctlStruct<" + model.Name + ">.ValidateFields(in " + model.Name + " value)"))
        {
            foreach (var field in model.Fields)
            {
                if (field.Has(FieldRole.Reserved))
                {
                    writer.Line("if (value." + field.Name + " != 0) return " + unsupported + ";");
                }

                if (field.Has(FieldRole.CheckedFlags))
                {
                    writer.Line("if ((((ulong)value." + field.Name + ") & ~" + IndentedWriter.Hex(field.FlagsMask) + "UL) != 0) return " + unsupported + ";");
                }
            }

            writer.Line("return " + Errno + ".None;");
        }
    }

    private static void EmitRequiredSize(IndentedWriter writer, IoctlStructModel model)
    {
        using (writer.Block("static int " + Ioctl + ".IIoctlStruct<" + model.Name + ">.RequiredSize(in " + model.Name + " value)"))
        {
            writer.Line("var required = MinimumSize;");
            var flags = model.Fields.FirstOrDefault(f => f.Has(FieldRole.CheckedFlags));
            if (flags is not null && model.CopyIn == CopyIn.MinimumAndFlagTails)
            {
                foreach (var tail in model.Fields.Where(f => f.Has(FieldRole.RequiredWithFlag)))
                {
                    writer.Line("if ((((ulong)value." + flags.Name + ") & " + IndentedWriter.Hex(tail.RequiredFlag) + "UL) != 0 && required < " + tail.End + ") required = " + tail.End + ";");
                }
            }

            writer.Line("return required;");
        }
    }

    private static void EmitWriteOutputs(IndentedWriter writer, IoctlStructModel model)
    {
        var header = "static " + Errno + " " + Ioctl + ".IIoctlStruct<" + model.Name + ">.WriteOutputFields(global::IommuContracts.IUserMemory memory, ulong address, in " + model.Name + " value)";
        using (writer.Block(header))
        {
            var outputs = model.Fields.Where(f => f.Has(FieldRole.Output | FieldRole.InOut)).ToList();
            if (outputs.Count > 0)
            {
                writer.Line(Errno + " result;");
            }

            foreach (var field in outputs)
            {
                writer.Line("result = " + Ioctl + ".IoctlArguments.WriteField(memory, address + " + field.Offset + "UL, in value." + field.Name + ");");
                writer.Line("if (result != " + Errno + ".None) return result;");
            }

            writer.Line("return " + Errno + ".None;");
        }
    }

    private static void EmitClearReported(IndentedWriter writer, IoctlStructModel model)
    {
        using (writer.Block("static void " + Ioctl + ".IIoctlStruct<" + model.Name + ">.ClearReportedFields(ref " + model.Name + " value)"))
        {
            foreach (var field in model.Fields.Where(f => f.Has(FieldRole.ReportedOnError)))
            {
                writer.Line("value." + field.Name + " = default;");
            }
        }
    }
}
