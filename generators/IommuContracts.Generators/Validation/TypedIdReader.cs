using System.Collections.Generic;
using System.Linq;
using IommuContracts.Generators.Layout;
using IommuContracts.Generators.Model;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Generators.Validation;

/// <summary>Reads a <c>[TypedObjectId]</c> struct.</summary>
internal static class TypedIdReader
{
    public static TypedIdModel? Read(INamedTypeSymbol type, Problems problems)
    {
        if (!StructLayoutCalculator.HasAttribute(type, AttributeNames.TypedObjectId))
        {
            return null;
        }

        if (!SymbolChecks.IsTopLevelNonGeneric(type))
        {
            problems.Add(DeclarationDiagnostics.NotTopLevel, type, type.Name);
        }

        if (!SymbolChecks.IsPartial(type) || !type.IsReadOnly || StructLayoutCalculator.InstanceFields(type).Any(f => !SymbolChecks.IsGeneratedByThisTool(f)))
        {
            problems.Add(DeclarationDiagnostics.TypedIdMalformed, type, type.Name);
        }

        var kinds = new List<string>();
        var listed = TypedIdKinds.KindsOf(type);
        foreach (var kind in listed)
        {
            var name = kind?.ToDisplayString() ?? "null";
            if (!TypedIdKinds.IsSingleKind(kind) || SymbolEqualityComparer.Default.Equals(kind, type))
            {
                problems.Add(DeclarationDiagnostics.TypedIdKindInvalid, type, type.Name, name, "is not a typed object ID of one kind");
            }
            else if (kinds.Contains(SymbolChecks.FullyQualified(kind!)))
            {
                problems.Add(DeclarationDiagnostics.TypedIdKindInvalid, type, type.Name, name, "is listed twice");
            }
            else
            {
                kinds.Add(SymbolChecks.FullyQualified(kind!));
            }
        }

        if (listed.Count == 1)
        {
            problems.Add(DeclarationDiagnostics.TypedIdKindInvalid, type, type.Name, listed[0]?.ToDisplayString() ?? "null",
                "is its only kind; an ID of one kind lists none (use that kind's ID type instead)");
        }

        return problems.Any ? null : new TypedIdModel(SymbolChecks.NamespaceOf(type), type.Name, SymbolChecks.IsPublic(type), new EquatableArray<string>(kinds.ToArray()));
    }
}
