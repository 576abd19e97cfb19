using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace IommuContracts.Cli.Inputs;

/// <summary>Lists the C# projects of a .sln (text format) or .slnx (XML) file, as absolute paths.</summary>
internal static partial class SolutionFile
{
    public static IReadOnlyList<string> CSharpProjects(string solutionPath)
    {
        var directory = Path.GetDirectoryName(solutionPath)!;
        var relativePaths = Path.GetExtension(solutionPath).Equals(".slnx", StringComparison.OrdinalIgnoreCase)
            ? XDocument.Load(solutionPath).Descendants("Project").Select(p => (string?)p.Attribute("Path")).OfType<string>()
            : ProjectLine().Matches(File.ReadAllText(solutionPath)).Select(m => m.Groups["path"].Value);
        return relativePaths
            .Where(path => path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            .Select(path => Path.GetFullPath(Path.Combine(directory, path.Replace('\\', Path.DirectorySeparatorChar))))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    // Project("{type guid}") = "Name", "relative\path.csproj", "{project guid}"
    [GeneratedRegex(@"^Project\(""[^""]*""\)\s*=\s*""[^""]*""\s*,\s*""(?<path>[^""]+)""", RegexOptions.Multiline)]
    private static partial Regex ProjectLine();
}
