using System.ComponentModel;
using System.Text.Json;
using IommuContracts.Cli.Processes;

namespace IommuContracts.Cli.Inputs;

/// <summary>
/// Asks the installed SDK for a project's exact compiler command line: restore, build the project references,
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
        var output = RunCompileTarget(projectPath, configuration, restore: true, targetFramework: null);
        if (output.ExitCode != 0 && output.StandardError.Contains("MSB4057", StringComparison.Ordinal))
        {
            // A multi-targeting project's outer build has no Compile target: check its first target framework.
            var first = FirstTargetFramework(projectPath, configuration);
            if (first is not null)
            {
                output = RunCompileTarget(projectPath, configuration, restore: false, first);
            }
        }

        if (output.ExitCode != 0)
        {
            throw new InputLoadException(
                ExitCodes.InputDoesNotCompile,
                $"'{projectPath}' does not restore or build (dotnet msbuild exit code {output.ExitCode}):\n{FirstErrors(output)}");
        }

        var arguments = ReadItemIdentities(output.StandardOutput, "CscCommandLineArgs");
        if (arguments.Count == 0)
        {
            throw new InputLoadException(
                ExitCodes.InputDoesNotCompile,
                $"'{projectPath}' produced no C# compiler command line; is it a C# project?");
        }

        return arguments;
    }

    private static ProcessOutput RunCompileTarget(string projectPath, string configuration, bool restore, string? targetFramework)
    {
        var arguments = new List<string> { "msbuild", projectPath, "-nologo", "-nodeReuse:false", "-t:Compile" };
        if (restore)
        {
            arguments.Add("-restore");
        }

        arguments.AddRange(
        [
            $"-p:Configuration={configuration}",
            "-p:SkipCompilerExecution=true",
            "-p:ProvideCommandLineArgs=true",
            // Forces CoreCompile to run (and so to report its arguments) even when the output is up to date.
            "-p:NonExistentFile=__iommufd_check_NonExistentFile__",
            // No compiler server left behind holding our output pipes.
            "-p:UseSharedCompilation=false",
            "-getItem:CscCommandLineArgs",
        ]);
        if (targetFramework is not null)
        {
            arguments.Add($"-p:TargetFramework={targetFramework}");
        }

        return RunDotnet(projectPath, arguments);
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
