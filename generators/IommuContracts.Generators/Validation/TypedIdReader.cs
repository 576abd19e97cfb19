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

        return problems.Any ? null : new TypedIdModel(SymbolChecks.NamespaceOf(type), type.Name, SymbolChecks.IsPublic(type));
    }
}
