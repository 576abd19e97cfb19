using IommuContracts.Cli.Inputs;
using IommuContracts.Cli.Tests.Support;

namespace IommuContracts.Cli.Tests;

/// <summary>
/// A solution is checked project by project through the design-time build: the project's own references,
/// the IommuContracts generator and analyzers, and the .editorconfig the project's build would use.
/// </summary>
public class SolutionInputTests
{
    [Fact]
    public async Task Each_project_of_a_slnx_is_compiled_from_its_msbuild_command_line_and_checked()
    {
        using var folder = new TempFolder();
        folder.Write("Review.slnx", """
            <Solution>
              <Project Path="Review/Review.csproj" />
            </Solution>
            """);
        folder.Write("Review/Review.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="IommuContracts" HintPath="{ShippedAssemblies.PathOf(ShippedAssemblies.RuntimeLibrary)}" />
              </ItemGroup>
            </Project>
            """);
        folder.Write("Review/Destroy.cs", Sources.NonPartialStruct);
        folder.Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.IOMMUGEN001.severity = warning\n");

        var run = await IommufdCheck.RunCheck(Path.Combine(folder.Path, "Review.slnx"), "--fail-on", "warning");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Matches(@"IOMMUGEN001\s+warning\s+Review/Destroy\.cs:7:15", run.Stdout);
        Assert.Contains("0 errors, 1 warning, 0 info in Review.slnx", run.Stdout, StringComparison.Ordinal);
    }
}
