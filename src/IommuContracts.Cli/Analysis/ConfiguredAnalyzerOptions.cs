using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Cli.Analysis;

/// <summary>
/// Gives analyzers and generators their .editorconfig / .globalconfig options (including the build_property.*
/// values the SDK writes into its generated global config), the way the compiler does.
/// </summary>
internal sealed class ConfiguredAnalyzerOptions(AnalyzerConfigSet configs) : AnalyzerConfigOptionsProvider
{
    private readonly ConcurrentDictionary<string, AnalyzerConfigOptions> _byPath = new(StringComparer.Ordinal);

    public override AnalyzerConfigOptions GlobalOptions { get; } =
        new DictionaryAnalyzerConfigOptions(configs.GlobalConfigOptions.AnalyzerOptions);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => ForPath(tree.FilePath);

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => ForPath(textFile.Path);

    private AnalyzerConfigOptions ForPath(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return DictionaryAnalyzerConfigOptions.Empty;
        }

        return _byPath.GetOrAdd(path, p => new DictionaryAnalyzerConfigOptions(configs.GetOptionsForSourcePath(p).AnalyzerOptions));
    }
}
