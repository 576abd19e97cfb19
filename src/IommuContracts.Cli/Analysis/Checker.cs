using IommuContracts.Cli.Findings;
using IommuContracts.Cli.Inputs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Cli.Analysis;

/// <summary>
/// Checks one input: compiles it (<see cref="CompiledInputs"/>), then runs the IommuContracts analyzers over
/// whatever binds, even when there are compile errors (as the IDE does; the report then says the result may be
/// incomplete), and returns their findings at the severity the .editorconfig / project settings give them, each
/// with the member it belongs to (for --diff).
/// </summary>
internal static class Checker
{
    public static async Task<CheckOutcome> CheckAsync(CheckInput input, CompiledInputs compiledInputs, AnalyzerCatalog catalog, Progress progress, CancellationToken cancellationToken)
    {
        var compiled = compiledInputs.Get(input, cancellationToken);
        progress.Report($"{input.Name}: compiling");
        var compileErrors = compiled.AllErrors(cancellationToken);
        // Files on disk only: the folder input's synthesized global usings is not something the user wrote.
        var sourceFileCount = input.Compilation.SyntaxTrees.Count(tree => File.Exists(tree.FilePath));
        if (catalog.Analyzers.IsEmpty)
        {
            return new CheckOutcome(input.Name, compileErrors, [], [], sourceFileCount);
        }

        progress.Report($"{input.Name}: running {catalog.Analyzers.Length} analyzer(s) on {sourceFileCount} files");
        var withAnalyzers = compiled.Compilation.WithAnalyzers(
            catalog.Analyzers,
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(input.AdditionalFiles, compiled.AnalyzerOptions),
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
        var findings = reported
            .Select(diagnostic => Finding.From(diagnostic) with { Member = MemberLocator.Find(diagnostic, compiled.Compilation, cancellationToken) })
            .ToList();
        return new CheckOutcome(input.Name, compileErrors, findings, rules, sourceFileCount);
    }
}
