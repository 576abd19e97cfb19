using IommuContracts.Cli.CommandLine;
using IommuContracts.Cli.Diff;
using IommuContracts.Cli.Inputs;
using IommuContracts.Cli.Tests.Support;

namespace IommuContracts.Cli.Tests;

/// <summary>The small parsers: command line, git's unified diff, and solution files.</summary>
public class ParsingTests
{
    [Fact]
    public void Options_take_separate_or_inline_values_and_default_sensibly()
    {
        var defaults = OptionParser.Parse(["src"]).Options!;
        var explicitOptions = OptionParser.Parse(["-f", "sarif", "--fail-on=warning", "src", "-o", "out.sarif", "--diff", "main...HEAD", "-c", "Release", "-v"]).Options!;

        Assert.Equal(new CheckOptions("src", ReportFormat.Table, null, null, SeverityThreshold.Error, "Debug", false), defaults);
        Assert.Equal(new CheckOptions("src", ReportFormat.Sarif, "out.sarif", "main...HEAD", SeverityThreshold.Warning, "Release", true), explicitOptions);
    }

    [Fact]
    public void Two_inputs_or_a_missing_value_are_errors()
    {
        Assert.Contains("only one input path", OptionParser.Parse(["a", "b"]).Error, StringComparison.Ordinal);
        Assert.Contains("needs a value", OptionParser.Parse(["a", "--diff"]).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Hunks_give_the_added_lines_of_the_new_file()
    {
        const string diff = """
            diff --git a/src/A.cs b/src/A.cs
            --- a/src/A.cs
            +++ b/src/A.cs
            @@ -3,0 +4,2 @@ class A
            +x
            +y
            @@ -10 +12 @@
            -old
            +new
            @@ -20,3 +22,0 @@
            diff --git a/Gone.cs b/Gone.cs
            --- a/Gone.cs
            +++ /dev/null
            @@ -1,5 +0,0 @@
            """;

        var ranges = UnifiedDiffParser.Parse(diff, "/repo");

        Assert.Equal([new LineRange(4, 5), new LineRange(12, 12)], ranges["/repo/src/A.cs"].Changed);
        // Lines 20-22 of the old file are gone; in the new one they sat after line 22.
        Assert.Equal([22], ranges["/repo/src/A.cs"].DeletedAfter);
        Assert.Single(ranges);
    }

    [Fact]
    public void A_finding_without_a_member_is_in_the_diff_when_any_of_its_lines_changed()
    {
        var changed = new ChangedLines(new Dictionary<string, FileChanges> { ["/repo/A.cs"] = new([new LineRange(4, 5)], []) });

        Assert.True(changed.Contains(new Findings.Finding("X", default, "", "/repo/A.cs", 5, 1, 5, 2)));
        Assert.True(changed.Contains(new Findings.Finding("X", default, "", "/repo/A.cs", 2, 1, 4, 2)));
        Assert.False(changed.Contains(new Findings.Finding("X", default, "", "/repo/A.cs", 6, 1, 6, 2)));
        Assert.False(changed.Contains(new Findings.Finding("X", default, "", "/repo/B.cs", 4, 1, 4, 2)));
        Assert.False(changed.Contains(new Findings.Finding("X", default, "", null, 0, 0, 0, 0)));
    }

    [Fact]
    public void Solutions_list_their_csharp_projects_in_both_formats()
    {
        using var folder = new TempFolder();
        var sln = folder.Write("All.sln", """
            Microsoft Visual Studio Solution File, Format Version 12.00
            Project("{2150E333-8FDC-42A3-9474-1A3956D46DE8}") = "src", "src", "{827E0CD3-B72D-47B6-A68D-7590B98EB39B}"
            EndProject
            Project("{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC}") = "Lib", "src\Lib\Lib.csproj", "{27977D0F-20D2-4BF8-BE80-EC84A89504ED}"
            EndProject
            Project("{F2A71F9B-5D33-465A-A702-920D77279786}") = "Fs", "src\Fs\Fs.fsproj", "{37977D0F-20D2-4BF8-BE80-EC84A89504ED}"
            EndProject
            """);
        var slnx = folder.Write("All.slnx", """
            <Solution>
              <Folder Name="/src/">
                <Project Path="src/Lib/Lib.csproj" />
              </Folder>
              <Project Path="tests/Lib.Tests/Lib.Tests.csproj" />
            </Solution>
            """);

        Assert.Equal([Path.Combine(folder.Path, "src", "Lib", "Lib.csproj")], SolutionFile.CSharpProjects(sln));
        Assert.Equal(
            [Path.Combine(folder.Path, "src", "Lib", "Lib.csproj"), Path.Combine(folder.Path, "tests", "Lib.Tests", "Lib.Tests.csproj")],
            SolutionFile.CSharpProjects(slnx));
    }

    [Fact]
    public void A_finding_is_in_the_diff_when_its_member_has_a_changed_or_deleted_line()
    {
        // The member spans lines 10-20; the finding is on line 18.
        var finding = new Findings.Finding("X", default, "", "/repo/A.cs", 18, 1, 18, 2) { Member = new Findings.FindingMember("A.M()", 10, 20) };
        ChangedLines Changes(LineRange[] changed, int[] deletedAfter) => new(new Dictionary<string, FileChanges> { ["/repo/A.cs"] = new(changed, deletedAfter) });

        Assert.True(Changes([new LineRange(12, 12)], []).Contains(finding));
        Assert.True(Changes([], [14]).Contains(finding));
        Assert.True(Changes([], [10]).Contains(finding));
        Assert.True(Changes([], [19]).Contains(finding));
        // Deleted right before or after the member: between lines 9 and 10, or 20 and 21.
        Assert.False(Changes([], [9]).Contains(finding));
        Assert.False(Changes([], [20]).Contains(finding));
        Assert.False(Changes([new LineRange(21, 30)], []).Contains(finding));
    }
}
