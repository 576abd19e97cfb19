using System.Collections.Generic;
using System.Linq;
using IommuContracts.Generators.Layout;
using IommuContracts.Generators.Model;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Generators.Validation;

/// <summary>
/// Reads an <c>[IoctlCommand]</c> struct into its model, recording every malformed part. The generator and
/// the declaration analyzer both call this, so they always agree on what is valid.
/// </summary>
internal static class IoctlStructReader
{
    public static IoctlStructModel? Read(INamedTypeSymbol type, Problems problems)
    {
        var attribute = StructLayoutCalculator.FindAttribute(type, AttributeNames.IoctlCommand);
        if (attribute is null || attribute.ConstructorArguments.Length != 2)
        {
            return null;
        }

        if (!SymbolChecks.IsTopLevelNonGeneric(type))
        {
            problems.Add(DeclarationDiagnostics.NotTopLevel, type, type.Name);
        }

        if (!SymbolChecks.IsPartial(type))
        {
            problems.Add(DeclarationDiagnostics.StructNotPartial, type, type.Name);
        }

        if (StructLayoutCalculator.DeclaredLayoutKind(type, out var packOrSize) != StructLayoutCalculator.LayoutSequential || packOrSize)
        {
            problems.Add(DeclarationDiagnostics.StructNotSequential, type, type.Name);
        }

        var options = CommandOptions.From(attribute);
        var nativeSize = 0;
        var minimumSize = 0;
        var fields = options.Argument == ArgumentKind.Value
            ? ReadValueCommand(type, problems)
            : ReadFields(type, options, problems, out nativeSize, out minimumSize);

        if (problems.Any || fields is null)
        {
            return null;
        }

        return new IoctlStructModel(
            SymbolChecks.NamespaceOf(type),
            type.Name,
            SymbolChecks.IsPublic(type),
            options.KernelName ?? type.Name,
            options.StubName ?? type.Name,
            options.Type,
            options.Number,
            options.Convention,
            options.ResolvedCopyIn,
            options.ResolvedResponse,
            options.Argument,
            nativeSize,
            minimumSize,
            new EquatableArray<FieldModel>(fields),
            options.Contract);
    }

    private static FieldModel[]? ReadValueCommand(INamedTypeSymbol type, Problems problems)
    {
        if (StructLayoutCalculator.InstanceFields(type).Any())
        {
            problems.Add(DeclarationDiagnostics.ValueCommandHasFields, type, type.Name);
            return null;
        }

        return System.Array.Empty<FieldModel>();
    }

    private static FieldModel[]? ReadFields(
        INamedTypeSymbol type,
        CommandOptions options,
        Problems problems,
        out int nativeSize,
        out int minimumSize)
    {
        var layouts = StructLayoutCalculator.LayOutFields(type, out var total);
        nativeSize = total.Size;
        minimumSize = 0;
        var fields = new List<FieldModel>();
        var sizeFieldIndex = -1;
        var lastMandatoryEnds = new List<int>();
        ulong flagsMask = 0;
        var hasCheckedFlags = false;

        for (var index = 0; index < layouts.Count; index++)
        {
            var layout = layouts[index];
            var field = layout.Field;
            if (!layout.IsBlittable)
            {
                problems.Add(DeclarationDiagnostics.FieldNotBlittable, field, field.Name, field.Type.ToDisplayString());
                continue;
            }

            var role = FieldRole.None;
            ulong mask = 0;
            ulong requiredFlag = 0;
            var integer = IntegerTypeOf(field.Type);

            if (StructLayoutCalculator.HasAttribute(field, AttributeNames.SizeField))
            {
                role |= FieldRole.Size;
                if (sizeFieldIndex < 0)
                {
                    sizeFieldIndex = index;
                }

                if (index != 0)
                {
                    problems.Add(DeclarationDiagnostics.SizeFieldNotFirst, field, field.Name);
                }

                if (field.Type.SpecialType != SpecialType.System_UInt32)
                {
                    problems.Add(DeclarationDiagnostics.SizeFieldNotUInt32, field, field.Name, field.Type.ToDisplayString());
                }
            }

            if (StructLayoutCalculator.FindAttribute(field, AttributeNames.Reserved) is { } reserved)
            {
                var enforced = !reserved.NamedArguments.Any(a => a.Key == "Enforced" && a.Value.Value is false);
                role |= enforced ? FieldRole.Reserved : FieldRole.UncheckedReserved;
                if (SymbolChecks.IntegerKeyword(field.Type) is null)
                {
                    problems.Add(DeclarationDiagnostics.ReservedWrongType, field, field.Name, field.Type.ToDisplayString());
                }
            }

            if (StructLayoutCalculator.HasAttribute(field, AttributeNames.CheckedFlags))
            {
                role |= FieldRole.CheckedFlags;
                if (FlagsMaskOf(field.Type) is { } declared)
                {
                    mask = declared;
                    flagsMask = declared;
                    hasCheckedFlags = true;
                }
                else
                {
                    problems.Add(DeclarationDiagnostics.FlagsWrongType, field, field.Name, field.Type.ToDisplayString());
                }
            }

            if (StructLayoutCalculator.FindAttribute(field, AttributeNames.RequiredWithFlag) is { } gated)
            {
                role |= FieldRole.RequiredWithFlag;
                requiredFlag = gated.ConstructorArguments.Length == 1 ? SymbolChecks.Bits(gated.ConstructorArguments[0].Value) : 0;
            }

            if (StructLayoutCalculator.HasAttribute(field, AttributeNames.LastMandatory))
            {
                role |= FieldRole.LastMandatory;
                lastMandatoryEnds.Add(layout.Offset + layout.Size);
            }

            if (StructLayoutCalculator.HasAttribute(field, AttributeNames.Output))
            {
                role |= FieldRole.Output;
            }

            string? outputType = null;
            if (StructLayoutCalculator.FindAttribute(field, AttributeNames.InOut) is { } inOut)
            {
                role |= FieldRole.InOut;
                if (inOut.NamedArguments.FirstOrDefault(a => a.Key == "OutputType").Value is { IsNull: false } declared)
                {
                    var returned = declared.Value as ITypeSymbol;
                    if (returned is null || !TypedIdKinds.IsSingleKind(returned) || !TypedIdKinds.CanHold(field.Type, returned))
                    {
                        problems.Add(DeclarationDiagnostics.InOutOutputTypeInvalid, field, field.Name, field.Type.ToDisplayString(), returned?.ToDisplayString() ?? "null");
                    }
                    else
                    {
                        outputType = SymbolChecks.FullyQualified(returned);
                    }
                }
            }

            if (StructLayoutCalculator.HasAttribute(field, AttributeNames.ReportedOnError))
            {
                role |= FieldRole.ReportedOnError;
            }

            var mustBeUsed = StructLayoutCalculator.FindAttribute(field, AttributeNames.OutputMustBeUsed) is { ConstructorArguments.Length: 1 } used
                ? used.ConstructorArguments[0].Value as string
                : null;
            fields.Add(new FieldModel(
                field.Name,
                SymbolChecks.FullyQualified(field.Type),
                integer,
                layout.Offset,
                layout.Size,
                role,
                mask,
                requiredFlag,
                mustBeUsed,
                outputType));
        }

        if (sizeFieldIndex < 0)
        {
            problems.Add(DeclarationDiagnostics.SizeFieldMissing, type, type.Name);
        }

        foreach (var gated in fields.Where(f => f.Has(FieldRole.RequiredWithFlag)))
        {
            var usable = hasCheckedFlags
                         && options.ResolvedCopyIn == CopyIn.MinimumAndFlagTails
                         && gated.RequiredFlag != 0
                         && (gated.RequiredFlag & flagsMask) == gated.RequiredFlag;
            if (!usable)
            {
                var symbol = type.GetMembers(gated.Name).FirstOrDefault();
                problems.Add(DeclarationDiagnostics.FlagGatedFieldInvalid, symbol, gated.Name, gated.RequiredFlag);
            }
        }

        minimumSize = options.MinimumSize != 0
            ? options.MinimumSize
            : lastMandatoryEnds.Count > 0 ? lastMandatoryEnds[0] : nativeSize;
        if (lastMandatoryEnds.Count > 1 || minimumSize < sizeof(uint) || minimumSize > nativeSize)
        {
            problems.Add(DeclarationDiagnostics.MinimumSizeInvalid, type, type.Name, minimumSize, nativeSize);
        }

        return fields.ToArray();
    }

    private static string IntegerTypeOf(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
        {
            return SymbolChecks.IntegerKeyword(underlying) ?? string.Empty;
        }

        return SymbolChecks.IntegerKeyword(type) ?? string.Empty;
    }

    // The bits of an unsigned [Flags] enum, or null for any other type.
    private static ulong? FlagsMaskOf(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying } enumType
            || !SymbolChecks.IsUnsigned(underlying)
            || !StructLayoutCalculator.HasAttribute(enumType, AttributeNames.Flags))
        {
            return null;
        }

        ulong mask = 0;
        foreach (var member in enumType.GetMembers().OfType<IFieldSymbol>())
        {
            if (member.HasConstantValue)
            {
                mask |= SymbolChecks.Bits(member.ConstantValue);
            }
        }

        return mask;
    }
}
