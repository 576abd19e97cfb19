using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Cli.Analysis;

/// <summary>
/// Applies the severities of .editorconfig (dotnet_diagnostic.ID.severity per file) and .globalconfig (global)
/// to the compilation, and their generated_code markers, the way the compiler does for a real build.
/// </summary>
internal sealed class ConfiguredSyntaxTreeOptions(AnalyzerConfigSet configs) : SyntaxTreeOptionsProvider
{
    private readonly ConcurrentDictionary<string, AnalyzerConfigOptionsResult> _byPath = new(StringComparer.Ordinal);

    public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (!ForTree(tree).AnalyzerOptions.TryGetValue("generated_code", out var value))
        {
            return GeneratedKind.Unknown;
        }

        return bool.TryParse(value, out var generated) && generated ? GeneratedKind.MarkedGenerated : GeneratedKind.NotGenerated;
    }

    public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        => ForTree(tree).TreeOptions.TryGetValue(diagnosticId, out severity);

    public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        => configs.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);

    private AnalyzerConfigOptionsResult ForTree(SyntaxTree tree)
        => _byPath.GetOrAdd(tree.FilePath ?? string.Empty, path => configs.GetOptionsForSourcePath(path));
}
