using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IommuContracts.Generators.Validation;

/// <summary>Small symbol questions shared by the declaration readers.</summary>
internal static class SymbolChecks
{
    public static bool IsPartial(INamedTypeSymbol type)
        => type.DeclaringSyntaxReferences.Length > 0
           && type.DeclaringSyntaxReferences.All(r => r.GetSyntax() is TypeDeclarationSyntax declaration
                                                      && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));

    public static bool IsTopLevelNonGeneric(INamedTypeSymbol type)
        => type.ContainingType is null && !type.IsGenericType;

    /// <summary>
    /// True when every declaration of <paramref name="symbol"/> sits in a type part this generator emitted
    /// (the analyzer sees generated code too, and must not mistake it for the user's).
    /// </summary>
    public static bool IsGeneratedByThisTool(ISymbol symbol)
        => symbol.DeclaringSyntaxReferences.Length > 0
           && symbol.DeclaringSyntaxReferences.All(r => r.GetSyntax().FirstAncestorOrSelf<TypeDeclarationSyntax>() is { } part
                                                        && part.AttributeLists.SelectMany(l => l.Attributes)
                                                            .Any(a => a.ToString().Contains("GeneratedCode(\"" + Emit.GeneratedFile.Tool + "\"")));

    public static string NamespaceOf(INamedTypeSymbol type)
        => type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : string.Empty;

    public static string FullyQualified(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    public static bool IsPublic(INamedTypeSymbol type) => type.DeclaredAccessibility == Accessibility.Public;

    public static bool IsErrno(ITypeSymbol type) => type.ToDisplayString() == AttributeNames.Errno;

    /// <summary>The C# keyword of an integer special type, or null.</summary>
    public static string? IntegerKeyword(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Byte => "byte",
        SpecialType.System_SByte => "sbyte",
        SpecialType.System_Int16 => "short",
        SpecialType.System_UInt16 => "ushort",
        SpecialType.System_Int32 => "int",
        SpecialType.System_UInt32 => "uint",
        SpecialType.System_Int64 => "long",
        SpecialType.System_UInt64 => "ulong",
        _ => null,
    };

    public static bool IsUnsigned(ITypeSymbol type) => type.SpecialType is SpecialType.System_Byte
        or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64;

    /// <summary>The value of an enum constant as raw bits.</summary>
    public static ulong Bits(object? constant) => constant switch
    {
        byte b => b,
        sbyte sb => unchecked((ulong)sb),
        short s => unchecked((ulong)s),
        ushort us => us,
        int i => unchecked((ulong)i),
        uint ui => ui,
        long l => unchecked((ulong)l),
        ulong ul => ul,
        _ => 0,
    };
}
