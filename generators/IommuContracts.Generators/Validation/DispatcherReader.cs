using System.Collections.Generic;
using System.Linq;
using IommuContracts.Generators.Layout;
using IommuContracts.Generators.Model;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Generators.Validation;

/// <summary>Reads an <c>[IoctlDispatcher]</c> class: its gate and its well-formed, non-duplicate handlers.</summary>
internal static class DispatcherReader
{
    private const string PointerShape = "'Errno M(ref TCommand argument)' or 'Errno M(ref TCommand argument, ref IoctlCall call)'";
    private const string ValueShape = "'int M(ulong value)'";
    private const string GateShape = "'Errno M(uint command)', and a dispatcher may have only one gate";

    public static DispatcherModel? Read(INamedTypeSymbol type, Problems problems)
    {
        if (!StructLayoutCalculator.HasAttribute(type, AttributeNames.IoctlDispatcher))
        {
            return null;
        }

        var shapeOk = true;
        if (!SymbolChecks.IsTopLevelNonGeneric(type))
        {
            problems.Add(DeclarationDiagnostics.NotTopLevel, type, type.Name);
            shapeOk = false;
        }

        if (!SymbolChecks.IsPartial(type))
        {
            // The same rule as for structs: the generator can only extend partial types.
            problems.Add(DeclarationDiagnostics.StructNotPartial, type, type.Name);
            shapeOk = false;
        }

        string? gate = null;
        var handlers = new List<HandlerModel>();
        var byCommand = new Dictionary<uint, string>();
        var byTableSlot = new Dictionary<byte, string>();
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            if (StructLayoutCalculator.HasAttribute(method, AttributeNames.IoctlGate))
            {
                if (gate is null && IsGate(method))
                {
                    gate = method.Name;
                }
                else
                {
                    problems.Add(DeclarationDiagnostics.HandlerSignature, method, method.Name, GateShape);
                }
            }

            if (StructLayoutCalculator.FindAttribute(method, AttributeNames.IoctlHandler) is not { } attribute)
            {
                continue;
            }

            if (ReadHandler(method, attribute, problems) is not { } handler)
            {
                continue;
            }

            var slotTaken = handler.Convention == Convention.Iommufd && handler.Argument == ArgumentKind.Pointer
                            && byTableSlot.ContainsKey(handler.Number);
            if (byCommand.TryGetValue(handler.Command, out var owner) || slotTaken)
            {
                problems.Add(DeclarationDiagnostics.DuplicateCommand, method, method.Name, handler.Command,
                    owner ?? byTableSlot[handler.Number]);
                continue;
            }

            byCommand[handler.Command] = method.Name;
            if (handler.Convention == Convention.Iommufd && handler.Argument == ArgumentKind.Pointer)
            {
                byTableSlot[handler.Number] = method.Name;
            }

            handlers.Add(handler);
        }

        return shapeOk
            ? new DispatcherModel(SymbolChecks.NamespaceOf(type), type.Name, gate, new EquatableArray<HandlerModel>(handlers.ToArray()))
            : null;
    }

    private static HandlerModel? ReadHandler(IMethodSymbol method, AttributeData attribute, Problems problems)
    {
        if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol commandType)
        {
            problems.Add(DeclarationDiagnostics.HandlerCommandInvalid, method, method.Name, "?");
            return null;
        }

        // The command must itself be valid, or the generated dispatch would name missing members.
        if (ReadCommand(commandType) is not { } command)
        {
            problems.Add(DeclarationDiagnostics.HandlerCommandInvalid, method, method.Name, commandType.ToDisplayString());
            return null;
        }

        var isValue = command.Argument == ArgumentKind.Value;
        var takesCall = method.Parameters.Length == 2;
        var shapeOk = !method.IsGenericMethod && (isValue ? IsValueHandler(method) : IsPointerHandler(method, commandType));
        if (!shapeOk)
        {
            problems.Add(DeclarationDiagnostics.HandlerSignature, method, method.Name, isValue ? ValueShape : PointerShape);
            return null;
        }

        return new HandlerModel(method.Name, command.FullName, command.Number, command.Command, command.Convention, command.Argument, takesCall);
    }

    // A command declared in this compilation is validated here; one from a referenced assembly was validated
    // when that assembly was built, and implementing IIoctlCommand shows the generator completed it.
    private static (string FullName, byte Number, uint Command, Convention Convention, ArgumentKind Argument)? ReadCommand(INamedTypeSymbol commandType)
    {
        if (commandType.DeclaringSyntaxReferences.Length > 0)
        {
            return IoctlStructReader.Read(commandType, Problems.CountOnly()) is { } model
                ? (model.FullName, model.Number, model.Command, model.Convention, model.Argument)
                : null;
        }

        var attribute = StructLayoutCalculator.FindAttribute(commandType, AttributeNames.IoctlCommand);
        if (attribute is null || attribute.ConstructorArguments.Length != 2
            || !commandType.AllInterfaces.Any(i => i.ToDisplayString() == AttributeNames.IIoctlCommand))
        {
            return null;
        }

        var options = CommandOptions.From(attribute);
        return (SymbolChecks.FullyQualified(commandType), options.Number, (uint)(options.Type << 8 | options.Number), options.Convention, options.Argument);
    }

    private static bool IsPointerHandler(IMethodSymbol method, INamedTypeSymbol commandType)
    {
        if (!SymbolChecks.IsErrno(method.ReturnType) || method.Parameters.Length is < 1 or > 2)
        {
            return false;
        }

        var argument = method.Parameters[0];
        if (argument.RefKind != RefKind.Ref || !SymbolEqualityComparer.Default.Equals(argument.Type, commandType))
        {
            return false;
        }

        return method.Parameters.Length == 1
               || (method.Parameters[1].RefKind == RefKind.Ref && method.Parameters[1].Type.ToDisplayString() == AttributeNames.IoctlCall);
    }

    private static bool IsValueHandler(IMethodSymbol method)
        => method.ReturnType.SpecialType == SpecialType.System_Int32
           && method.Parameters.Length == 1
           && method.Parameters[0].RefKind == RefKind.None
           && method.Parameters[0].Type.SpecialType == SpecialType.System_UInt64;

    private static bool IsGate(IMethodSymbol method)
        => SymbolChecks.IsErrno(method.ReturnType)
           && !method.IsGenericMethod
           && method.Parameters.Length == 1
           && method.Parameters[0].RefKind == RefKind.None
           && method.Parameters[0].Type.SpecialType == SpecialType.System_UInt32;
}
