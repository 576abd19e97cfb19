using IommuContracts.Cli.Findings;
using IommuContracts.Cli.Inputs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Cli.Analysis;

/// <summary>
/// Checks one input: runs the generators (the project's and IommuContracts'), stops with the compiler errors if the
/// result does not compile, otherwise runs the IommuContracts analyzers and returns their findings at the severity
/// the .editorconfig / project settings give them.
/// </summary>
internal static class Checker
{
    public static async Task<CheckOutcome> CheckAsync(CheckInput input, AnalyzerCatalog catalog, Progress progress, CancellationToken cancellationToken)
    {
        var analyzerOptions = new ConfiguredAnalyzerOptions(input.AnalyzerConfigs);
        var compilationOptions = input.Compilation.Options
            .WithSyntaxTreeOptionsProvider(new ConfiguredSyntaxTreeOptions(input.AnalyzerConfigs))
            // TreatWarningsAsErrors is the build's gate; --fail-on is ours, so report rules at their own severity.
            .WithGeneralDiagnosticOption(ReportDiagnostic.Default);
        var compilation = input.Compilation.WithOptions(compilationOptions);
        // Files on disk only: the folder input's synthesized global usings is not something the user wrote.
        var sourceFileCount = compilation.SyntaxTrees.Count(tree => File.Exists(tree.FilePath));

        var generators = input.ProjectGenerators.AddRange(catalog.Generators);
        progress.Report($"{input.Name}: running {generators.Length} source generator(s) on {sourceFileCount} files");
        GeneratorDriver driver = CSharpGeneratorDriver.Create(generators, input.AdditionalFiles, input.ParseOptions, analyzerOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics, cancellationToken);

        progress.Report($"{input.Name}: compiling {sourceFileCount} files");
        var compileErrors = generatorDiagnostics
            .Concat(generated.GetDiagnostics(cancellationToken))
            .Where(IsCompileError)
            .Select(Finding.From)
            .ToList();
        if (compileErrors.Count > 0)
        {
            return new CheckOutcome(input.Name, compileErrors, [], [], sourceFileCount);
        }

        if (catalog.Analyzers.IsEmpty)
        {
            return new CheckOutcome(input.Name, [], [], [], sourceFileCount);
        }

        progress.Report($"{input.Name}: running {catalog.Analyzers.Length} analyzer(s)");
        var withAnalyzers = generated.WithAnalyzers(
            catalog.Analyzers,
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(input.AdditionalFiles, analyzerOptions),
                onAnalyzerException: null,
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false,
                reportSuppressedDiagnostics: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        var reported = diagnostics
            .Where(diagnostic => diagnostic.Severity != DiagnosticSeverity.Hidden && !diagnostic.IsSuppressed)
            .ToList();
        var rules = reported
            .Select(diagnostic => diagnostic.Descriptor)
            .DistinctBy(descriptor => descriptor.Id, StringComparer.Ordinal)
            .Select(RuleInfo.From)
            .ToList();
        progress.Detail($"{input.Name}: {reported.Count} finding(s)");
        return new CheckOutcome(input.Name, [], reported.Select(Finding.From).ToList(), rules, sourceFileCount);
    }

    // A real compiler error, not a warning the project promotes with WarningsAsErrors.
    private static bool IsCompileError(Diagnostic diagnostic)
        => diagnostic.Severity == DiagnosticSeverity.Error && !diagnostic.IsWarningAsError;
}
