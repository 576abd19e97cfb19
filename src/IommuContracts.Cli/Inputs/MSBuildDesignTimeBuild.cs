using System.ComponentModel;
using System.Text.Json;
using IommuContracts.Cli.Processes;

namespace IommuContracts.Cli.Inputs;

/// <summary>
/// Asks the installed SDK for a project's exact compiler command line: restore and build the project references,
/// then run the project's Compile target with SkipCompilerExecution + ProvideCommandLineArgs (the design-time
/// build IDEs use) and read the CscCommandLineArgs items back as JSON (-getItem). The arguments carry sources
/// (including generated AssemblyInfo / GlobalUsings), resolved references, defines, language options,
/// /analyzerconfig files and analyzer references, exactly as the real build passes them to csc.
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

    public static IReadOnlyList<string> GetCompilerArguments(string projectPath, string configuration)
    {
        string? targetFramework = null;
        var references = BuildProjectReferences(projectPath, configuration, targetFramework);
        if (references.ExitCode != 0 && (references.StandardOutput + references.StandardError).Contains("MSB4057", StringComparison.Ordinal))
        {
            // A multi-targeting project's outer build has no such targets: check its first target framework.
            targetFramework = FirstTargetFramework(projectPath, configuration);
            if (targetFramework is not null)
            {
                references = BuildProjectReferences(projectPath, configuration, targetFramework);
            }
        }

        ThrowIfFailed(projectPath, references);
        var compile = RunCompileTarget(projectPath, configuration, targetFramework);
        ThrowIfFailed(projectPath, compile);

        var arguments = ReadItemIdentities(compile.StandardOutput, "CscCommandLineArgs");
        if (arguments.Count == 0)
        {
            throw new InputLoadException(
                ExitCodes.InputDoesNotCompile,
                $"'{projectPath}' produced no C# compiler command line; is it a C# project?");
        }

        return arguments;
    }

    // Step 1, a normal build of what the project references (restoring first), so their assemblies exist. Kept apart
    // from step 2 because global properties flow to referenced projects, and SkipCompilerExecution there would
    // leave them unbuilt on a fresh clone.
    private static ProcessOutput BuildProjectReferences(string projectPath, string configuration, string? targetFramework)
    {
        var arguments = new List<string>
        {
            "msbuild", projectPath, "-nologo", "-nodeReuse:false", "-restore", "-t:ResolveProjectReferences", "-verbosity:quiet",
            $"-p:Configuration={configuration}",
            // No compiler server left behind holding our output pipes.
            "-p:UseSharedCompilation=false",
        };
        if (targetFramework is not null)
        {
            arguments.Add($"-p:TargetFramework={targetFramework}");
        }

        return RunDotnet(projectPath, arguments);
    }

    // Step 2, the project's own Compile target without running csc, reporting csc's arguments.
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
                $"'{projectPath}' does not restore or build (dotnet msbuild exit code {output.ExitCode}):\n{FirstErrors(output)}");
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

    private static List<string> ReadItemIdentities(string json, string itemType)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("Items", out var items)
            || !items.TryGetProperty(itemType, out var list))
        {
            return [];
        }

        return list.EnumerateArray()
            .Select(item => item.GetProperty("Identity").GetString())
            .OfType<string>()
            .ToList();
    }

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
