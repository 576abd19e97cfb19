namespace IommuContracts.Cli.Inputs;

/// <summary>What the input path names.</summary>
internal enum InputKind
{
    Folder,
    Project,
    Solution,
}

/// <summary>The input to check, after a folder that holds a project or solution was resolved to it.</summary>
internal sealed record ResolvedInput(InputKind Kind, string Path);

internal static class InputKinds
{
    private static readonly string[] SkippedDirectoryNames = ["bin", "obj", "node_modules", "TestResults"];

    /// <summary>
    /// Classifies an existing path; throws a usage error for a missing path or an unsupported file. A folder that
    /// holds exactly one project (a .csproj in it or below it) is that project, so its settings apply; without a
    /// project, exactly one solution file in it is that solution; with several of either the user must choose,
    /// and the error lists them. Only a folder with no project at all is compiled as loose files.
    /// </summary>
    public static ResolvedInput Resolve(string fullPath)
    {
        if (Directory.Exists(fullPath))
        {
            return ResolveFolder(fullPath);
        }

        if (!File.Exists(fullPath))
        {
            throw new InputLoadException(ExitCodes.UsageError, $"path not found: '{fullPath}'");
        }

        return new ResolvedInput(
            Path.GetExtension(fullPath).ToUpperInvariant() switch
            {
                ".CSPROJ" => InputKind.Project,
                ".SLN" or ".SLNX" => InputKind.Solution,
                _ => throw new InputLoadException(
                    ExitCodes.UsageError,
                    $"unsupported input '{fullPath}': give a .csproj, a .sln / .slnx, or a folder of .cs files"),
            },
            fullPath);
    }

    private static ResolvedInput ResolveFolder(string folder)
    {
        var projects = ProjectsBelow(folder).ToList();
        if (projects.Count == 1)
        {
            return new ResolvedInput(InputKind.Project, projects[0]);
        }

        if (projects.Count > 1)
        {
            var solutions = Directory.EnumerateFiles(folder).Where(IsSolution).Order(StringComparer.Ordinal).ToList();
            if (solutions.Count == 1)
            {
                return new ResolvedInput(InputKind.Solution, solutions[0]);
            }

            var listed = string.Join("\n", (solutions.Count > 1 ? solutions : projects).Select(p => "  " + Path.GetRelativePath(folder, p).Replace('\\', '/')));
            throw new InputLoadException(
                ExitCodes.UsageError,
                solutions.Count > 1
                    ? $"folder '{folder}' holds {solutions.Count} solutions; give one of them:\n{listed}"
                    : $"folder '{folder}' holds {projects.Count} projects; give one of them (or a solution that lists them):\n{listed}");
        }

        return new ResolvedInput(InputKind.Folder, folder);
    }

    private static bool IsSolution(string path)
        => Path.GetExtension(path).ToUpperInvariant() is ".SLN" or ".SLNX";

    private static IEnumerable<string> ProjectsBelow(string directory)
    {
        foreach (var project in Directory.EnumerateFiles(directory, "*.csproj").Order(StringComparer.Ordinal))
        {
            yield return Path.GetFullPath(project);
        }

        foreach (var child in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(child);
            if (name.StartsWith('.') || SkippedDirectoryNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var project in ProjectsBelow(child))
            {
                yield return project;
            }
        }
    }
}
