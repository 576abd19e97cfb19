using System.Text.Json;
using IommuContracts.Cli.Tests.Support;

namespace IommuContracts.Cli.Tests;

/// <summary>
/// A folder with a declaration mistake the generator's declaration analyzer reports (a non-partial [IoctlCommand]
/// struct, IOMMUGEN001): every format names the rule with file:line, and the run exits 1.
/// </summary>
public sealed class DeclarationFindingTests : IDisposable
{
    private const string HelpUri = "https://github.com/IommuContracts/IommuContracts/blob/main/docs/rules/IOMMUGEN001.md";
    private readonly TempFolder _folder = new();

    public DeclarationFindingTests()
    {
        _folder.Write("Uapi/Destroy.cs", Sources.NonPartialStruct);
        _folder.Write("Create.cs", Sources.PartialStruct);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Table_lists_rule_severity_location_message_and_fix_hint()
    {
        var run = await IommufdCheck.RunCheck(_folder.Path);

        Assert.True(run.ExitCode == 1, run.ToString());
        var line = run.Stdout.Split('\n').Single(l => l.StartsWith("IOMMUGEN001", StringComparison.Ordinal));
        Assert.Matches(@"^IOMMUGEN001\s+error\s+Uapi/Destroy\.cs:7:15\s+'Destroy' must be declared 'partial'", line);
        // What to do, from the rule page's "**Fix:**" line, not the rule's title again.
        Assert.Contains("fix: Add `partial` to every declaration of the struct or dispatcher class. (see " + HelpUri + ")", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 error, 0 warnings, 0 info", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_has_counts_by_severity_and_a_findings_table()
    {
        var run = await IommufdCheck.RunCheck(_folder.Path, "--format", "markdown");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("### iommufd-check: 1 error, 0 warnings, 0 info", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("| error | 1 |", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("| warning | 0 |", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"| [IOMMUGEN001]({HelpUri}) | error | `Uapi/Destroy.cs:7:15` | 'Destroy' must be declared 'partial'", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("| Add `partial` to every declaration of the struct or dispatcher class. |", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sarif_is_2_1_0_with_rule_metadata_and_located_results()
    {
        var run = await IommufdCheck.RunCheck(_folder.Path, "--format", "sarif");

        Assert.True(run.ExitCode == 1, run.ToString());
        using var sarif = JsonDocument.Parse(run.Stdout);
        var root = sarif.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        Assert.Contains("sarif-2.1.0", root.GetProperty("$schema").GetString(), StringComparison.Ordinal);

        var run0 = root.GetProperty("runs")[0];
        var driver = run0.GetProperty("tool").GetProperty("driver");
        Assert.Equal("iommufd-check", driver.GetProperty("name").GetString());
        var rules = driver.GetProperty("rules").EnumerateArray().ToList();
        var rule = rules.Single(r => r.GetProperty("id").GetString() == "IOMMUGEN001");
        Assert.Equal(HelpUri, rule.GetProperty("helpUri").GetString());
        Assert.Equal("AnnotatedTypeMustBePartial", rule.GetProperty("name").GetString());
        Assert.Equal("Annotated type must be partial", rule.GetProperty("shortDescription").GetProperty("text").GetString());
        Assert.Equal("error", rule.GetProperty("defaultConfiguration").GetProperty("level").GetString());
        // Every rule that ran is listed, not only those with results (dotnet/roslyn#60550).
        Assert.Contains(rules, r => r.GetProperty("id").GetString() == "IOMMUGEN019");

        var result = run0.GetProperty("results").EnumerateArray().Single();
        Assert.Equal("IOMMUGEN001", result.GetProperty("ruleId").GetString());
        Assert.Equal("IOMMUGEN001", rules[result.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
        Assert.Equal("error", result.GetProperty("level").GetString());
        Assert.Contains("'Destroy' must be declared 'partial'", result.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal("Uapi/Destroy.cs", location.GetProperty("artifactLocation").GetProperty("uri").GetString());
        Assert.Equal("%SRCROOT%", location.GetProperty("artifactLocation").GetProperty("uriBaseId").GetString());
        Assert.Equal(Sources.NonPartialStructLine, location.GetProperty("region").GetProperty("startLine").GetInt32());
        Assert.Equal(15, location.GetProperty("region").GetProperty("startColumn").GetInt32());
        var srcRoot = run0.GetProperty("originalUriBaseIds").GetProperty("%SRCROOT%").GetProperty("uri").GetString();
        Assert.Equal(new Uri(_folder.Path + "/").AbsoluteUri, srcRoot);
    }

    [Fact]
    public async Task Output_option_writes_the_report_to_a_file_and_leaves_stdout_empty()
    {
        var output = Path.Combine(_folder.Path, "report.sarif");

        var run = await IommufdCheck.RunCheck(_folder.Path, "--format=sarif", "--output", output);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal(string.Empty, run.Stdout);
        using var sarif = JsonDocument.Parse(File.ReadAllText(output));
        Assert.Single(sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray());
    }

    [Theory]
    [InlineData("none", 0)]
    [InlineData("info", 1)]
    [InlineData("warning", 1)]
    [InlineData("error", 1)]
    public async Task Fail_on_sets_the_exit_code_for_an_error_finding(string failOn, int expectedExitCode)
    {
        var run = await IommufdCheck.RunCheck(_folder.Path, "--fail-on", failOn);

        Assert.True(run.ExitCode == expectedExitCode, run.ToString());
        Assert.Contains("IOMMUGEN001", run.Stdout, StringComparison.Ordinal);
    }
}
