using System.ComponentModel;
using System.Text.Json;
using IommuContracts.Cli.Processes;

namespace IommuContracts.Cli.Inputs;

/// <summary>
/// Asks the installed SDK for a project's exact compiler command line without building anything: the project's
/// Compile target runs with SkipCompilerExecution + ProvideCommandLineArgs and BuildProjectReferences=false (the
/// design-time build IDEs use), and the CscCommandLineArgs items come back as JSON (-getItem), with the project
/// references it resolved (_ResolvedProjectReferencePaths: which project each referenced output path belongs to).
/// The arguments carry sources (including generated AssemblyInfo / GlobalUsings), resolved references, defines,
/// language options, /analyzerconfig files and analyzer references, exactly as the real build passes them to csc.
/// Referenced projects are not built (their build could fail on the very findings a review wants to see): the
/// caller compiles them from their own command lines.
/// </summary>
internal static class MSBuildDesignTimeBuild
{
    private const int MaxErrorLines = 10;

    // Inherited from a parent dotnet build/test these would pin the child to the parent's MSBuild; let the child resolve its own.
    private static readonly Dictionary<string, string?> ChildEnvironment = new()
    {
        ["MSBUILD_EXE_PATH"] = null,
        ["MSBuildExtensionsPath"] = null,
        ["MSBuildSDKsPath"] = null,
        ["MSBUILDNOINPROCNODE"] = null,
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    /// <summary>Restores a project or solution (and, through it, every project it references).</summary>
    public static void Restore(string projectOrSolutionPath, string configuration)
    {
        var restore = RunDotnet(projectOrSolutionPath,
        [
            "msbuild", projectOrSolutionPath, "-nologo", "-nodeReuse:false", "-t:Restore", "-verbosity:quiet",
            $"-p:Configuration={configuration}",
        ]);
        if (restore.ExitCode != 0)
        {
            throw new InputLoadException(
                ExitCodes.InputDoesNotCompile,
                $"'{projectOrSolutionPath}' does not restore (dotnet msbuild exit code {restore.ExitCode}):\n{FirstErrors(restore)}");
        }
    }

    /// <summary>
    /// The compiler command line of a restored project, for <paramref name="targetFramework"/> or, when null, its only
    /// (or first) target framework.
    /// </summary>
    public static DesignTimeBuild GetCompilerArguments(string projectPath, string configuration, string? targetFramework)
    {
        var compile = RunCompileTarget(projectPath, configuration, targetFramework);
        if (targetFramework is null && compile.ExitCode != 0 && (compile.StandardOutput + compile.StandardError).Contains("MSB4057", StringComparison.Ordinal))
        {
            // A multi-targeting project's outer build has no Compile target: check its first target framework.
            targetFramework = FirstTargetFramework(projectPath, configuration);
            if (targetFramework is not null)
            {
                compile = RunCompileTarget(projectPath, configuration, targetFramework);
            }
        }

        ThrowIfFailed(projectPath, compile);
        var arguments = ReadItems(compile.StandardOutput, "CscCommandLineArgs").Select(item => item.GetProperty("Identity").GetString()).OfType<string>().ToList();
        if (arguments.Count == 0)
        {
            throw new InputLoadException(
                ExitCodes.InputDoesNotCompile,
                $"'{projectPath}' produced no C# compiler command line; is it a C# project?");
        }

        var references = ReadItems(compile.StandardOutput, "_ResolvedProjectReferencePaths")
            .Where(item => Metadata(item, "OutputItemType") is null or "" && Metadata(item, "ReferenceOutputAssembly") is not "false")
            .Select(item => new ResolvedProjectReference(
                Path.GetFullPath(Metadata(item, "MSBuildSourceProjectFile") ?? item.GetProperty("Identity").GetString()!),
                Metadata(item, "HasSingleTargetFramework") == "true" ? null : Metadata(item, "NearestTargetFramework"),
                new[] { item.GetProperty("Identity").GetString(), Metadata(item, "ReferenceAssembly") }
                    .Where(path => !string.IsNullOrEmpty(path))
                    .Select(path => Path.GetFullPath(path!))
                    .ToHashSet(StringComparer.Ordinal)))
            .ToList();
        return new DesignTimeBuild(arguments, references, targetFramework);
    }

    // The project's own Compile target without running csc or building references, reporting csc's arguments.
    private static ProcessOutput RunCompileTarget(string projectPath, string configuration, string? targetFramework)
    {
        var arguments = new List<string>
        {
            "msbuild", projectPath, "-nologo", "-nodeReuse:false", "-t:Compile",
            $"-p:Configuration={configuration}",
            "-p:BuildProjectReferences=false",
            "-p:SkipCompilerExecution=true",
            "-p:ProvideCommandLineArgs=true",
            // Forces CoreCompile to run (and so to report its arguments) even when the output is up to date.
            "-p:NonExistentFile=__iommufd_check_NonExistentFile__",
            "-p:UseSharedCompilation=false",
            "-getItem:CscCommandLineArgs",
            "-getItem:_ResolvedProjectReferencePaths",
        };
        if (targetFramework is not null)
        {
            arguments.Add($"-p:TargetFramework={targetFramework}");
        }

        return RunDotnet(projectPath, arguments);
    }

    private static void ThrowIfFailed(string projectPath, ProcessOutput output)
    {
        if (output.ExitCode != 0)
        {
            throw new InputLoadException(
                ExitCodes.InputDoesNotCompile,
                $"'{projectPath}' has no compiler command line (dotnet msbuild exit code {output.ExitCode}):\n{FirstErrors(output)}");
        }
    }

    private static string? FirstTargetFramework(string projectPath, string configuration)
    {
        var output = RunDotnet(projectPath, ["msbuild", projectPath, "-nologo", $"-p:Configuration={configuration}", "-getProperty:TargetFrameworks"]);
        if (output.ExitCode != 0)
        {
            return null;
        }

        return output.StandardOutput
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault();
    }

    private static ProcessOutput RunDotnet(string projectPath, IEnumerable<string> arguments)
    {
        try
        {
            return ProcessRunner.Run(DotnetHost.Path, arguments, Path.GetDirectoryName(projectPath)!, ChildEnvironment);
        }
        catch (Win32Exception e)
        {
            throw new InputLoadException(
                ExitCodes.UsageError,
                $"cannot run 'dotnet' ({e.Message}); project and solution inputs need the .NET SDK on PATH");
        }
    }

    private static List<JsonElement> ReadItems(string json, string itemType)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("Items", out var items)
            || !items.TryGetProperty(itemType, out var list))
        {
            return [];
        }

        return list.EnumerateArray().Select(item => item.Clone()).ToList();
    }

    private static string? Metadata(JsonElement item, string name)
        => item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string FirstErrors(ProcessOutput output)
    {
        var lines = (output.StandardError + output.StandardOutput)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var errors = lines
            .Where(line => line.Contains(": error ", StringComparison.Ordinal) || line.StartsWith("error ", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var shown = errors.Count > 0 ? errors : lines.TakeLast(MaxErrorLines).ToList();
        var text = string.Join('\n', shown.Take(MaxErrorLines).Select(line => "  " + line));
        return shown.Count > MaxErrorLines ? $"{text}\n  (and {shown.Count - MaxErrorLines} more)" : text;
    }
}

/// <summary>What the design-time build of one project gave: csc's arguments, the projects it references, the target framework used.</summary>
internal sealed record DesignTimeBuild(IReadOnlyList<string> Arguments, IReadOnlyList<ResolvedProjectReference> ProjectReferences, string? TargetFramework);

/// <summary>
/// A project reference as the build resolved it: the referenced project, the target framework it is used in (null
/// when it has only one), and the paths its output is referenced by (the assembly and its reference assembly).
/// </summary>
internal sealed record ResolvedProjectReference(string ProjectPath, string? TargetFramework, IReadOnlySet<string> OutputPaths);
