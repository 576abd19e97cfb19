using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Generators.Layout;
using IommuContracts.Generators.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Generators;

/// <summary>
/// Reports the IOMMUGEN rules by running the generator's own readers on each annotated type, plus the two
/// checks that need the whole compilation (duplicate object kinds, duplicate stub names).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DeclarationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DeclarationDiagnostics.StructNotPartial,
        DeclarationDiagnostics.StructNotSequential,
        DeclarationDiagnostics.FieldNotBlittable,
        DeclarationDiagnostics.SizeFieldMissing,
        DeclarationDiagnostics.SizeFieldNotFirst,
        DeclarationDiagnostics.SizeFieldNotUInt32,
        DeclarationDiagnostics.DuplicateCommand,
        DeclarationDiagnostics.HandlerSignature,
        DeclarationDiagnostics.ReservedWrongType,
        DeclarationDiagnostics.FlagsWrongType,
        DeclarationDiagnostics.MinimumSizeInvalid,
        DeclarationDiagnostics.NotTopLevel,
        DeclarationDiagnostics.HandlerCommandInvalid,
        DeclarationDiagnostics.FlagGatedFieldInvalid,
        DeclarationDiagnostics.ValueCommandHasFields,
        DeclarationDiagnostics.TypedIdMalformed,
        DeclarationDiagnostics.ObjectMalformed,
        DeclarationDiagnostics.DuplicateObjectKind,
        DeclarationDiagnostics.DuplicateStubName,
        DeclarationDiagnostics.TypedIdKindInvalid,
        DeclarationDiagnostics.InOutOutputTypeInvalid);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing to check in a compilation that cannot see the attributes.
            if (start.Compilation.GetTypeByMetadataName(AttributeNames.IoctlCommand) is null)
            {
                return;
            }

            var kinds = new ConcurrentBag<(INamedTypeSymbol Type, string Base, int Kind)>();
            var stubs = new ConcurrentBag<(INamedTypeSymbol Type, string Namespace, string Stub)>();
            start.RegisterSymbolAction(symbol => AnalyzeType(symbol, kinds, stubs), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end => ReportDuplicates(end, kinds, stubs));
        });
    }

    private static void AnalyzeType(
        SymbolAnalysisContext context,
        ConcurrentBag<(INamedTypeSymbol, string, int)> kinds,
        ConcurrentBag<(INamedTypeSymbol, string, string)> stubs)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var problems = Problems.Collecting();
        if (IoctlStructReader.Read(type, problems) is { } command)
        {
            stubs.Add((type, command.Namespace, command.StubName));
        }

        DispatcherReader.Read(type, problems);
        TypedIdReader.Read(type, problems);
        if (ObjectReader.ReadKind(type, problems) is { } kind)
        {
            kinds.Add((type, kind.BaseFullName, kind.Kind));
        }

        ObjectReader.ReadBase(type, problems);
        ObjectReader.ReadTable(type, problems);
        foreach (var diagnostic in problems.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    private static void ReportDuplicates(
        CompilationAnalysisContext context,
        ConcurrentBag<(INamedTypeSymbol Type, string Base, int Kind)> kinds,
        ConcurrentBag<(INamedTypeSymbol Type, string Namespace, string Stub)> stubs)
    {
        foreach (var group in kinds.GroupBy(k => (k.Base, k.Kind)))
        {
            var ordered = group.OrderBy(k => k.Type.ToDisplayString(), System.StringComparer.Ordinal).ToList();
            foreach (var duplicate in ordered.Skip(1))
            {
                context.ReportDiagnostic(Diagnostic.Create(DeclarationDiagnostics.DuplicateObjectKind,
                    duplicate.Type.Locations.FirstOrDefault(), duplicate.Type.Name, duplicate.Kind, ordered[0].Type.Name));
            }
        }

        foreach (var group in stubs.GroupBy(s => (s.Namespace, s.Stub)))
        {
            var ordered = group.OrderBy(s => s.Type.ToDisplayString(), System.StringComparer.Ordinal).ToList();
            foreach (var duplicate in ordered.Skip(1))
            {
                context.ReportDiagnostic(Diagnostic.Create(DeclarationDiagnostics.DuplicateStubName,
                    duplicate.Type.Locations.FirstOrDefault(), duplicate.Type.Name, duplicate.Stub, ordered[0].Type.Name));
            }
        }
    }
}
