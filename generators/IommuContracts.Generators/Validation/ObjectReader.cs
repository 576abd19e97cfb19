using System.Linq;
using IommuContracts.Generators.Layout;
using IommuContracts.Generators.Model;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Generators.Validation;

/// <summary>Reads object kinds, object bases and object tables.</summary>
internal static class ObjectReader
{
    public static ObjectKindModel? ReadKind(INamedTypeSymbol type, Problems problems)
    {
        var attribute = StructLayoutCalculator.FindAttribute(type, AttributeNames.IommufdObject);
        if (attribute is null)
        {
            return null;
        }

        if (!SymbolChecks.IsTopLevelNonGeneric(type))
        {
            problems.Add(DeclarationDiagnostics.NotTopLevel, type, type.Name);
        }

        if (!SymbolChecks.IsPartial(type))
        {
            problems.Add(DeclarationDiagnostics.ObjectMalformed, type, type.Name, "must be declared 'partial'");
        }

        var objectBase = FindBase(type);
        if (objectBase is null)
        {
            problems.Add(DeclarationDiagnostics.ObjectMalformed, type, type.Name, "must derive from a class marked [IommufdObjectBase]");
        }

        var idType = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as INamedTypeSymbol : null;
        if (idType is null || !TypedIdKinds.IsSingleKind(idType))
        {
            problems.Add(DeclarationDiagnostics.ObjectMalformed, type, type.Name, "must name a [TypedObjectId] struct of one kind as its ID type");
        }

        var kind = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Kind").Value.Value as int? ?? 0;
        if (kind <= 0)
        {
            problems.Add(DeclarationDiagnostics.ObjectMalformed, type, type.Name, "must set Kind to a number greater than 0");
        }

        if (!HasParameterlessVoid(type, "Destroy"))
        {
            problems.Add(DeclarationDiagnostics.ObjectMalformed, type, type.Name, "must declare an internal or public 'void Destroy()' (its destroy operation)");
        }

        if (problems.Any || objectBase is null || idType is null)
        {
            return null;
        }

        return new ObjectKindModel(
            SymbolChecks.NamespaceOf(type),
            type.Name,
            SymbolChecks.FullyQualified(type),
            SymbolChecks.FullyQualified(objectBase),
            SymbolChecks.FullyQualified(idType),
            kind,
            HasParameterlessVoid(type, "Abort"));
    }

    public static ObjectBaseModel? ReadBase(INamedTypeSymbol type, Problems problems)
    {
        if (!StructLayoutCalculator.HasAttribute(type, AttributeNames.IommufdObjectBase))
        {
            return null;
        }

        if (!SymbolChecks.IsTopLevelNonGeneric(type))
        {
            problems.Add(DeclarationDiagnostics.NotTopLevel, type, type.Name);
        }

        if (!SymbolChecks.IsPartial(type) || !type.IsAbstract)
        {
            problems.Add(DeclarationDiagnostics.ObjectMalformed, type, type.Name, "(an object base) must be declared 'abstract partial'");
        }

        return problems.Any
            ? null
            : new ObjectBaseModel(SymbolChecks.NamespaceOf(type), type.Name, SymbolChecks.FullyQualified(type), SymbolChecks.IsPublic(type));
    }

    public static ObjectTableModel? ReadTable(INamedTypeSymbol type, Problems problems)
    {
        var attribute = StructLayoutCalculator.FindAttribute(type, AttributeNames.IommufdObjectTable);
        if (attribute is null)
        {
            return null;
        }

        if (!SymbolChecks.IsTopLevelNonGeneric(type))
        {
            problems.Add(DeclarationDiagnostics.NotTopLevel, type, type.Name);
        }

        var objectBase = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as INamedTypeSymbol : null;
        if (!SymbolChecks.IsPartial(type) || objectBase is null || !StructLayoutCalculator.HasAttribute(objectBase, AttributeNames.IommufdObjectBase))
        {
            problems.Add(DeclarationDiagnostics.ObjectMalformed, type, type.Name, "(an object table) must be 'partial' and name a class marked [IommufdObjectBase]");
        }

        return problems.Any || objectBase is null
            ? null
            : new ObjectTableModel(SymbolChecks.NamespaceOf(type), type.Name, SymbolChecks.FullyQualified(objectBase));
    }

    private static INamedTypeSymbol? FindBase(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (StructLayoutCalculator.HasAttribute(current, AttributeNames.IommufdObjectBase))
            {
                return current;
            }
        }

        return null;
    }

    private static bool HasParameterlessVoid(INamedTypeSymbol type, string name)
        => type.GetMembers(name).OfType<IMethodSymbol>()
            .Any(m => !m.IsStatic && m.ReturnsVoid && m.Parameters.Length == 0 && !m.IsGenericMethod
                      && m.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal);
}
