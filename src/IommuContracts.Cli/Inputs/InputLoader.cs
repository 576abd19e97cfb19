namespace IommuContracts.Cli.Inputs;

/// <summary>
/// Turns the input path into the compilations to check: one for a folder of loose files or a project, one per C#
/// project of a solution. A project or solution is restored first (once), then loaded through design-time builds.
/// </summary>
internal static class InputLoader
{
    public static IReadOnlyList<CheckInput> Load(InputKind kind, string fullPath, string configuration, Progress progress)
    {
        switch (kind)
        {
            case InputKind.Folder:
                return [FolderInput.Load(fullPath, progress)];
            case InputKind.Project:
                progress.Report($"{Path.GetFileName(fullPath)}: restore");
                MSBuildDesignTimeBuild.Restore(fullPath, configuration);
                return [new ProjectLoader(configuration, progress).Load(fullPath)];
            default:
                var projects = SolutionFile.CSharpProjects(fullPath);
                if (projects.Count == 0)
                {
                    throw new InputLoadException(ExitCodes.UsageError, $"solution '{fullPath}' lists no C# projects");
                }

                progress.Report($"{Path.GetFileName(fullPath)}: {projects.Count} C# project(s); restore");
                MSBuildDesignTimeBuild.Restore(fullPath, configuration);
                var loader = new ProjectLoader(configuration, progress);
                return projects.Select(project => loader.Load(project)).ToList();
        }
    }
}
