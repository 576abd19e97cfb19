using System.Collections.Immutable;
using IommuContracts.Cli.Analysis;
using IommuContracts.Cli.Inputs;
using IommuContracts.Cli.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Cli.Tests;

/// <summary>An analyzer that throws is a finding (AD0001) with rule metadata, never a silently clean run.</summary>
public class AnalyzerFailureTests
{
    [Fact]
    public async Task An_analyzer_exception_is_reported_as_AD0001()
    {
        using var folder = new TempFolder();
        folder.Write("Create.cs", Sources.PartialStruct);
        var input = FolderInput.Load(folder.Path, Progress.Silent);
        var catalog = new AnalyzerCatalog([new ThrowingAnalyzer()], []);

        var outcome = await Checker.CheckAsync(input, new CompiledInputs(catalog, Progress.Silent), catalog, Progress.Silent, CancellationToken.None);

        var finding = Assert.Single(outcome.Findings, f => f.RuleId == "AD0001");
        Assert.Contains("ThrowingAnalyzer", finding.Message, StringComparison.Ordinal);
        Assert.Contains(outcome.ReportedRules, rule => rule.Id == "AD0001");
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("TEST001", "Test", "Test", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(_ => throw new InvalidOperationException("analyzer bug"), SymbolKind.NamedType);
        }
    }
}
