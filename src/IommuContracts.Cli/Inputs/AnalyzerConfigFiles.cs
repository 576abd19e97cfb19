using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace IommuContracts.Cli.Inputs;

/// <summary>
/// Finds and parses .editorconfig / .globalconfig files. For a folder input this mirrors what the SDK passes to
/// the compiler: every .editorconfig in a source file's directory or above, and .globalconfig files in the input
/// directory or above. Roslyn's <see cref="AnalyzerConfigSet"/> applies sections, 'root = true' and precedence.
/// </summary>
internal static class AnalyzerConfigFiles
{
    public static IReadOnlyList<string> DiscoverForFolder(string inputDirectory, IEnumerable<string> sourceFiles)
    {
        var found = new List<string>();
        var seenDirectories = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in sourceFiles.Select(Path.GetDirectoryName).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            for (var current = directory; current is not null; current = Path.GetDirectoryName(current))
            {
                if (!seenDirectories.Add(current))
                {
                    break;
                }

                AddIfExists(found, Path.Combine(current, ".editorconfig"));
            }
        }

        for (var current = inputDirectory; current is not null; current = Path.GetDirectoryName(current))
        {
            AddIfExists(found, Path.Combine(current, ".globalconfig"));
        }

        return found;
    }

    public static AnalyzerConfigSet Load(IEnumerable<string> paths)
    {
        var configs = paths
            .Distinct(StringComparer.Ordinal)
            .Where(File.Exists)
            .Select(path => AnalyzerConfig.Parse(SourceText.From(File.ReadAllText(path)), path))
            .ToList();
        return AnalyzerConfigSet.Create(configs);
    }

    private static void AddIfExists(List<string> found, string path)
    {
        if (File.Exists(path))
        {
            found.Add(path);
        }
    }
}
