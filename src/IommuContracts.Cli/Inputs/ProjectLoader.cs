namespace IommuContracts.Cli.Inputs;

/// <summary>
/// Loads projects for one run: each project (and target framework) once, however many projects reference it. A
/// referenced project whose command line cannot be had (not C#, or its design-time build fails) keeps its output
/// file as the reference when that exists; the reason is shown with --verbose.
/// </summary>
internal sealed class ProjectLoader(string configuration, Progress progress)
{
    private readonly Dictionary<string, CheckInput?> _loaded = new(StringComparer.Ordinal);
    private readonly HashSet<string> _loading = new(StringComparer.Ordinal);

    public CheckInput Load(string projectPath, string? targetFramework = null)
    {
        if (_loaded.TryGetValue(Key(projectPath, targetFramework), out var loaded) && loaded is not null)
        {
            return loaded;
        }

        var name = Path.GetFileNameWithoutExtension(projectPath);
        progress.Report($"{name}: design-time build (dotnet msbuild, {configuration}{(targetFramework is null ? string.Empty : ", " + targetFramework)})");
        var build = MSBuildDesignTimeBuild.GetCompilerArguments(projectPath, configuration, targetFramework);
        var key = Key(projectPath, build.TargetFramework);
        if (_loaded.TryGetValue(key, out var known) && known is not null)
        {
            return known;
        }

        _loading.Add(key);
        try
        {
            var input = ProjectInput.Create(projectPath, build, LoadReference, progress);
            _loaded[key] = input;
            return input;
        }
        finally
        {
            _loading.Remove(key);
        }
    }

    private CheckInput? LoadReference(ResolvedProjectReference reference)
    {
        var key = Key(reference.ProjectPath, reference.TargetFramework);
        if (_loaded.TryGetValue(key, out var known))
        {
            return known;
        }

        if (_loading.Contains(key))
        {
            return null;
        }

        try
        {
            var input = Load(reference.ProjectPath, reference.TargetFramework);
            _loaded[key] = input;
            return input;
        }
        catch (InputLoadException e)
        {
            progress.Detail($"{Path.GetFileName(reference.ProjectPath)} is referenced through its output: {e.Message}");
            _loaded[key] = null;
            return null;
        }
    }

    private static string Key(string projectPath, string? targetFramework) => targetFramework is null ? projectPath : $"{projectPath}|{targetFramework}";
}
