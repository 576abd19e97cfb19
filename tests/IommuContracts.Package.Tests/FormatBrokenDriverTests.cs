using IommuContracts.Package.Tests.Support;
using Xunit.Abstractions;

namespace IommuContracts.Package.Tests;

/// <summary>
/// The code fixes as a user applies them from the command line: a copy of samples/BrokenDriver referencing the packed
/// packages, `dotnet format analyzers` with every IommuContracts rule ID at once, then a build. Every fixable finding
/// must be gone, the code must compile, and only findings no fix covers may remain. (It used to leave fixes
/// unapplied with "didn't return a Fix All action", depending on the order of the IDs, and the IOMMU0003 fix
/// wrote code that did not compile.)
/// </summary>
[Collection(PackageCollection.Name)]
public class FormatBrokenDriverTests(PackageFixture package, ITestOutputHelper output)
{
    // What the packaged code fixes handle (their FixableDiagnosticIds).
    private static readonly string[] Fixable = ["IOMMU0003", "IOMMU0004", "IOMMU0005", "IOMMU0009", "IOMMU0054", "IOMMU0055", "IOMMU0104"];

    [Fact]
    public void Dotnet_format_with_every_rule_fixes_every_fixable_finding_and_the_result_builds()
    {
        var directory = package.CreateProjectFolder("brokendriver");
        var sample = RepositoryPaths.Sample("BrokenDriver");
        foreach (var file in Directory.GetFiles(sample, "*.cs").Concat(Directory.GetFiles(sample, "*.globalconfig")))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        // The sample's project, with the packages in place of the repository's project references.
        File.WriteAllText(Path.Combine(directory, "BrokenDriver.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <NoWarn>$(NoWarn);CA1822;CA1812;CA1515;CA1062;CA2201;IDE0060</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <GlobalAnalyzerConfigFiles Include="BrokenDriver.globalconfig" />
                <PackageReference Include="IommuContracts" Version="$(IommuContractsVersion)" />
                <PackageReference Include="IommuContracts.Engine" Version="$(IommuContractsVersion)" />
              </ItemGroup>
            </Project>
            """);
        var before = Run(directory, "build", "BrokenDriver.csproj", "-tl:off", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        Assert.True(before.ExitCode == 0, before.ToString());
        var found = BuildDiagnostic.Parse(before.Output);
        Assert.Contains(found, d => Fixable.Contains(d.Id));

        var ids = package.Rules.Select(r => r.Id).Where(id => id.StartsWith("IOMMU0", StringComparison.Ordinal)).ToArray();
        var format = Run(directory, ["format", "analyzers", "BrokenDriver.csproj", "--no-restore", "--verbosity", "diagnostic", "--diagnostics", .. ids]);
        Assert.True(format.ExitCode == 0, format.ToString());
        Assert.DoesNotContain("didn't return a Fix All action", format.Output, StringComparison.Ordinal);
        // "Unable to fix IOMMU0101. No associated code fix found." is right for the rules without a fix; never for these.
        Assert.All(Fixable, id => Assert.DoesNotContain("Unable to fix " + id, format.Output, StringComparison.Ordinal));
        output.WriteLine(format.Output);

        var after = Run(directory, "build", "BrokenDriver.csproj", "--no-restore", "-tl:off", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.DoesNotContain(": error ", after.Output, StringComparison.Ordinal);
        var remaining = BuildDiagnostic.Parse(after.Output);
        Assert.DoesNotContain(remaining, d => Fixable.Contains(d.Id));
        // What the fixes did not cover is exactly what was there before.
        Assert.Equal(
            found.Where(d => !Fixable.Contains(d.Id)).Select(d => (d.File, d.Id)).Order(),
            remaining.Select(d => (d.File, d.Id)).Order());
    }

    private DotnetRun Run(string directory, params string[] arguments)
    {
        var run = package.RunDotnet(directory, arguments);
        output.WriteLine($"dotnet {run.Command}: exit {run.ExitCode}, {run.Duration.TotalSeconds:F1} s");
        return run;
    }
}
