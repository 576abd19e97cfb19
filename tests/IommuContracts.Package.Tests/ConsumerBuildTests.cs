using System.Text.Json;
using IommuContracts.Package.Tests.Support;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace IommuContracts.Package.Tests;

/// <summary>
/// A project outside the solution (Consumer/) restored from the packed feed alone and built as a user builds it:
/// the generated stubs run against the engine, each deliberate bug in Mistakes.cs is reported on its line, SARIF 2.1
/// lists them, and IommuContractsAnalysisMode and .editorconfig change what is reported.
/// </summary>
[Collection(PackageCollection.Name)]
public class ConsumerBuildTests(PackageFixture package, ITestOutputHelper output)
{
    [Fact]
    public void Default_mode_reports_each_bug_on_its_line_at_the_rules_own_severity_and_SARIF_2_1_lists_them()
    {
        var sarif = Path.Combine(package.Root, "default.sarif");
        // %2C: a bare comma would end the property on the command line.
        var build = Build("ErrorLog=" + sarif + "%2Cversion=2.1");

        var expected = Expected(rule => rule.DefaultSeverity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            var other => throw new InvalidOperationException($"{rule.Id} is {other} by default; mark a rule the build prints"),
        });
        Assert.Equal(expected, BuildDiagnostic.Parse(build.Output));
        Assert.True((build.ExitCode != 0) == expected.Any(d => d.Severity == "error"), build.ToString());

        using var log = JsonDocument.Parse(File.ReadAllText(sarif));
        Assert.Equal("2.1.0", log.RootElement.GetProperty("version").GetString());
        var run = log.RootElement.GetProperty("runs")[0];
        var results = run.GetProperty("results").EnumerateArray()
            .Select(result =>
            {
                var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
                return new BuildDiagnostic(
                    Path.GetFileName(new Uri(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath),
                    location.GetProperty("region").GetProperty("startLine").GetInt32(),
                    result.GetProperty("level").GetString()!,
                    result.GetProperty("ruleId").GetString()!);
            })
            .Where(d => d.Id.StartsWith("IOMMU", StringComparison.Ordinal))
            .OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected, results);

        // The rules that ran, not only those that fired, each with its help page.
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .ToDictionary(rule => rule.GetProperty("id").GetString()!, StringComparer.Ordinal);
        Assert.All(package.Rules, descriptor =>
        {
            Assert.True(rules.TryGetValue(descriptor.Id, out var rule), $"{descriptor.Id} is missing from the SARIF rules");
            Assert.Equal(descriptor.HelpLinkUri, rule.GetProperty("helpUri").GetString());
        });
    }

    [Fact]
    public void All_warnings_mode_builds_and_the_generated_stubs_run_against_the_engine()
    {
        var build = Build("IommuContractsAnalysisMode=all-warnings");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Equal(Expected(_ => "warning"), BuildDiagnostic.Parse(build.Output));

        var run = package.RunConsumer();
        Log(run);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
            [
                "IOMMU_IOAS_ALLOC None IoasId(1)",
                "IOMMU_IOAS_MAP None",
                "0x3B81 None IoasId(2)",
                "IOMMU_IOAS_ALLOC with flag 1 EOPNOTSUPP",
                "IOMMU_IOAS_UNMAP None 1048576",
            ],
            run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void All_errors_mode_fails_the_build_with_every_finding_an_error()
    {
        var build = Build("IommuContractsAnalysisMode=all-errors");

        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Equal(Expected(_ => "error"), BuildDiagnostic.Parse(build.Output));
    }

    [Fact]
    public void Changing_the_mode_on_the_command_line_rebuilds_an_up_to_date_project()
    {
        var first = BuildIncrementally("IommuContractsAnalysisMode=all-warnings");
        Assert.True(first.ExitCode == 0, first.ToString());

        // The same mode again: up to date, the compiler does not run, so nothing is reported (the skip this test relies on).
        var same = BuildIncrementally("IommuContractsAnalysisMode=all-warnings");
        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.Empty(BuildDiagnostic.Parse(same.Output));

        // Another mode is another compiler input: the project is compiled again and the errors fail the build.
        var strict = BuildIncrementally("IommuContractsAnalysisMode=all-errors");
        Assert.True(strict.ExitCode != 0, strict.ToString());
        Assert.Equal(Expected(_ => "error"), BuildDiagnostic.Parse(strict.Output));
    }

    [Fact]
    public void None_mode_turns_every_rule_off()
    {
        var build = Build("IommuContractsAnalysisMode=none");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Empty(BuildDiagnostic.Parse(build.Output));
    }

    [Fact]
    public void An_editorconfig_severity_wins_over_the_preset()
    {
        package.WriteEditorConfig("dotnet_diagnostic.IOMMU0102.severity = none", "dotnet_diagnostic.IOMMU0004.severity = error");
        try
        {
            var build = Build("IommuContractsAnalysisMode=all-warnings");

            Assert.True(build.ExitCode != 0, build.ToString());
            var expected = Expected(rule => rule.Id == "IOMMU0004" ? "error" : "warning").Where(d => d.Id != "IOMMU0102");
            Assert.Equal(expected, BuildDiagnostic.Parse(build.Output));
        }
        finally
        {
            package.WriteEditorConfig();
        }
    }

    [Fact]
    public void An_unknown_mode_fails_the_build_and_names_the_modes()
    {
        var build = Build("IommuContractsAnalysisMode=strict");

        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Contains("error IOMMUCFG001: IommuContractsAnalysisMode is 'strict'; use none, default, all-warnings or all-errors.", build.Output, StringComparison.Ordinal);
    }

    /// <summary>The diagnostics the "// ID" comments in Mistakes.cs ask for, at the severity <paramref name="severity"/> gives each rule.</summary>
    private List<BuildDiagnostic> Expected(Func<DiagnosticDescriptor, string> severity)
    {
        var markers = BuildDiagnostic.Markers(Path.Combine(package.ConsumerDirectory, "Mistakes.cs"));
        Assert.NotEmpty(markers);
        return markers
            .Select(m => new BuildDiagnostic(m.File, m.Line, severity(package.Rules.Single(r => r.Id == m.Id)), m.Id))
            .OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
    }

    private DotnetRun Build(params string[] properties)
    {
        var build = package.BuildConsumer(properties);
        Log(build);
        return build;
    }

    private DotnetRun BuildIncrementally(params string[] properties)
    {
        var build = package.BuildConsumerIncrementally(properties);
        Log(build);
        return build;
    }

    private void Log(DotnetRun run) => output.WriteLine($"dotnet {run.Command}: exit {run.ExitCode}, {run.Duration.TotalSeconds:F1} s");
}
