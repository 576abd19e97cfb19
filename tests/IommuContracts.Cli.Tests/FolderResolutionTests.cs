using IommuContracts.Cli.Inputs;
using IommuContracts.Cli.Tests.Support;

namespace IommuContracts.Cli.Tests;

/// <summary>
/// A folder that holds a project is that project, so the project's settings apply; several projects are listed
/// for the user to choose; only a folder with no project is compiled as loose files.
/// </summary>
public class FolderResolutionTests
{
    private const string Project = "<Project Sdk=\"Microsoft.NET.Sdk\" />";

    [Fact]
    public void A_folder_with_one_project_in_it_or_below_it_is_that_project()
    {
        using var folder = new TempFolder();
        var project = folder.Write("src/Nic/Nic.csproj", Project);
        folder.Write("src/Nic/Driver.cs", "class Driver { }");
        folder.Write("src/Nic/obj/Stale.csproj", Project);

        Assert.Equal(new ResolvedInput(InputKind.Project, project), InputKinds.Resolve(folder.Path));
        Assert.Equal(new ResolvedInput(InputKind.Project, project), InputKinds.Resolve(Path.Combine(folder.Path, "src", "Nic")));
    }

    [Fact]
    public void The_samples_are_their_projects()
    {
        Assert.Equal(
            new ResolvedInput(InputKind.Project, Path.Combine(RepositoryPaths.Sample("BrokenDriver"), "BrokenDriver.csproj")),
            InputKinds.Resolve(RepositoryPaths.Sample("BrokenDriver")));
    }

    [Fact]
    public void Several_projects_are_listed_unless_one_solution_names_them()
    {
        using var folder = new TempFolder();
        folder.Write("Vmm/Vmm.csproj", Project);
        folder.Write("Vmm.Tests/Vmm.Tests.csproj", Project);

        var error = Assert.Throws<InputLoadException>(() => InputKinds.Resolve(folder.Path));
        Assert.Equal(ExitCodes.UsageError, error.ExitCode);
        Assert.Contains("holds 2 projects; give one of them (or a solution that lists them):\n  Vmm/Vmm.csproj\n  Vmm.Tests/Vmm.Tests.csproj", error.Message, StringComparison.Ordinal);

        var solution = folder.Write("Vmm.slnx", "<Solution />");
        Assert.Equal(new ResolvedInput(InputKind.Solution, solution), InputKinds.Resolve(folder.Path));

        folder.Write("Other.sln", string.Empty);
        error = Assert.Throws<InputLoadException>(() => InputKinds.Resolve(folder.Path));
        Assert.Contains("holds 2 solutions; give one of them:\n  Other.sln\n  Vmm.slnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_a_project_is_loose_files()
    {
        using var folder = new TempFolder();
        folder.Write("Driver.cs", "class Driver { }");

        Assert.Equal(new ResolvedInput(InputKind.Folder, folder.Path), InputKinds.Resolve(folder.Path));
    }
}
