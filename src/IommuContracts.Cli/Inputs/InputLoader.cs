namespace IommuContracts.Cli.Inputs;

/// <summary>Turns the input path into the compilations to check: one for a folder or project, one per C# project of a solution.</summary>
internal static class InputLoader
{
    public static IEnumerable<CheckInput> Load(InputKind kind, string fullPath, string configuration, Progress progress)
    {
        switch (kind)
        {
            case InputKind.Folder:
                yield return FolderInput.Load(fullPath, progress);
                break;
            case InputKind.Project:
                yield return ProjectInput.Load(fullPath, configuration, progress);
                break;
            default:
                var projects = SolutionFile.CSharpProjects(fullPath);
                if (projects.Count == 0)
                {
                    throw new InputLoadException(ExitCodes.UsageError, $"solution '{fullPath}' lists no C# projects");
                }

                progress.Report($"{Path.GetFileName(fullPath)}: {projects.Count} C# project(s)");
                foreach (var project in projects)
                {
                    yield return ProjectInput.Load(project, configuration, progress);
                }

                break;
        }
    }
}
