using IommuContracts.Cli.Inputs;
using IommuContracts.Cli.Tests.Support;

namespace IommuContracts.Cli.Tests;

/// <summary>
/// A solution whose library has error-level findings: its real build fails on them, so the checker must not build
/// references. Each project is compiled from its own command line, the library standing in for its (missing)
/// output, and every project's findings are reported.
/// </summary>
public class SolutionReferenceTests
{
    [Fact]
    public async Task A_library_whose_build_fails_on_our_errors_is_compiled_from_source_and_both_projects_are_reported()
    {
        using var folder = new TempFolder();
        folder.Write("MyVmm.slnx", """
            <Solution>
              <Project Path="Lib/Lib.csproj" />
              <Project Path="App/App.csproj" />
            </Solution>
            """);
        // The analyzers run in the library's own build, as with the package: error IOMMU0003 fails it.
        folder.Write("Lib/Lib.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="IommuContracts" HintPath="{ShippedAssemblies.PathOf(ShippedAssemblies.RuntimeLibrary)}" />
                <Analyzer Include="{ShippedAssemblies.PathOf(ShippedAssemblies.Analyzers)}" />
              </ItemGroup>
            </Project>
            """);
        folder.Write("Lib/Iommu.cs", """
            using IommuContracts;
            using IommuContracts.Uapi;

            namespace Lib;

            public static class Iommu
            {
                public static IoasId NewIoas(IIoctlFile iommufd)
                {
                    iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var ioas);
                    return ioas;
                }
            }
            """);
        folder.Write("App/App.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../Lib/Lib.csproj" />
                <Reference Include="IommuContracts" HintPath="{ShippedAssemblies.PathOf(ShippedAssemblies.RuntimeLibrary)}" />
              </ItemGroup>
            </Project>
            """);
        folder.Write("App/Vmm.cs", """
            using IommuContracts;
            using IommuContracts.Uapi;

            namespace App;

            public sealed class Vmm
            {
                public void Start(IIoctlFile iommufd)
                {
                    var ioas = Lib.Iommu.NewIoas(iommufd);
                    ulong length = 4096;
                    iommufd.IoasUnmap(ioas, 0, ref length);
                }
            }
            """);

        var run = await IommufdCheck.RunCheck(Path.Combine(folder.Path, "MyVmm.slnx"));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Matches(@"IOMMU0003\s+error\s+Lib/Iommu\.cs:10:9", run.Stdout);
        Assert.Matches(@"IOMMU0003\s+error\s+App/Vmm\.cs:12:9", run.Stdout);
        Assert.DoesNotContain("does not compile", run.Stderr, StringComparison.Ordinal);
        // Nothing was built: the library's output never existed, and the check did not need it.
        Assert.Empty(Directory.GetFiles(Path.Combine(folder.Path, "Lib"), "Lib.dll", SearchOption.AllDirectories));
    }
}
