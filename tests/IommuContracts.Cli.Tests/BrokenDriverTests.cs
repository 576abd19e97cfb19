using System.Text.Json;
using System.Text.RegularExpressions;
using IommuContracts.Cli.Tests.Support;

namespace IommuContracts.Cli.Tests;

/// <summary>
/// End to end on samples/BrokenDriver, given as the folder the README shows: the folder is its project, so the
/// project's settings apply (its global config lowers every rule to a warning), and the checker finds every
/// contract bug the sample marks ("// IOMMUxxxx" at the end of the line), with its file and line, in SARIF.
/// </summary>
public partial class BrokenDriverTests
{
    [Fact]
    public async Task The_checker_reports_every_marked_bug_with_its_line_and_exits_1()
    {
        var sample = RepositoryPaths.Sample("BrokenDriver");

        var run = await IommufdCheck.RunCheck(sample, "--format", "sarif", "--fail-on", "warning", "--configuration", IommufdCheck.BuildConfiguration);

        Assert.True(run.ExitCode == 1, run.ToString());
        using var sarif = JsonDocument.Parse(run.Stdout);
        var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Select(r => (
                File: Path.GetFileName(r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()!),
                Line: r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32(),
                Rule: r.GetProperty("ruleId").GetString()!,
                Level: r.GetProperty("level").GetString()!))
            .Where(r => r.Rule.StartsWith("IOMMU", StringComparison.Ordinal))
            .OrderBy(r => r.File, StringComparer.Ordinal).ThenBy(r => r.Line)
            .ToList();
        Assert.All(results, r => Assert.Equal("warning", r.Level));
        var marked = Directory.GetFiles(sample, "*.cs")
            .SelectMany(f => File.ReadAllLines(f).Select((text, index) => (File: Path.GetFileName(f), Line: index + 1, Match: Marker().Match(text))))
            .Where(m => m.Match.Success)
            .Select(m => (m.File, m.Line, Rule: m.Match.Groups[1].Value))
            .OrderBy(r => r.File, StringComparer.Ordinal).ThenBy(r => r.Line)
            .ToList();

        Assert.NotEmpty(marked);
        Assert.Equal(marked, results.Select(r => (r.File, r.Line, r.Rule)).ToList());
    }

    [GeneratedRegex(@"//\s*(IOMMU\d{4})\s*$")]
    private static partial Regex Marker();
}
