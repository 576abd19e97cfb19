using System.Text.RegularExpressions;

namespace IommuContracts.Package.Tests.Support;

/// <summary>One diagnostic as the build prints it: file name, line, severity and ID.</summary>
public sealed partial record BuildDiagnostic(string File, int Line, string Severity, string Id)
{
    public override string ToString() => $"{File}({Line}): {Severity} {Id}";

    /// <summary>
    /// The IommuContracts diagnostics in a build's console output ("path(line,col): severity ID: message [project]"),
    /// each once (the console logger repeats them in its summary), in file and line order.
    /// </summary>
    public static IReadOnlyList<BuildDiagnostic> Parse(string output)
        => output.Split('\n')
            .Select(line => DiagnosticLine().Match(line.Trim()))
            .Where(match => match.Success && match.Groups["id"].Value.StartsWith("IOMMU", StringComparison.Ordinal))
            .Select(match => new BuildDiagnostic(
                Path.GetFileName(match.Groups["file"].Value),
                int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups["severity"].Value,
                match.Groups["id"].Value))
            .Distinct()
            .OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>The lines of a source file that end in a "// ID" marker comment: where that diagnostic is expected.</summary>
    public static IReadOnlyList<(string File, int Line, string Id)> Markers(string path)
        => System.IO.File.ReadAllLines(path)
            .Select((text, index) => (Line: index + 1, Match: Marker().Match(text)))
            .Where(m => m.Match.Success)
            .Select(m => (Path.GetFileName(path), m.Line, m.Match.Groups[1].Value))
            .ToList();

    [GeneratedRegex(@"^(?<file>[^\s(][^(]*)\((?<line>\d+),(?<column>\d+)\): (?<severity>error|warning|info) (?<id>[A-Z]+[0-9]+): ")]
    private static partial Regex DiagnosticLine();

    [GeneratedRegex(@"//\s*(IOMMU[A-Z]*\d+)\s*$")]
    private static partial Regex Marker();
}
