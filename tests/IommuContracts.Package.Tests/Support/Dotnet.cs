using System.Diagnostics;
using System.Text;

namespace IommuContracts.Package.Tests.Support;

/// <summary>What one dotnet command returned and printed.</summary>
public sealed record DotnetRun(string Command, int ExitCode, string Output, TimeSpan Duration)
{
    public override string ToString() => $"dotnet {Command}: exit {ExitCode} after {Duration.TotalSeconds:F1} s\n{Output}";
}

/// <summary>
/// Runs the dotnet CLI as a user would, in a child process with both streams captured. The environment is cleaned of
/// what a parent dotnet test passes down (it would pin the child to the parent's MSBuild), telemetry and the logo are
/// off, and no MSBuild node or compiler server outlives the command holding our pipes.
/// </summary>
public static class Dotnet
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private static readonly Dictionary<string, string?> BaseEnvironment = new()
    {
        ["MSBUILD_EXE_PATH"] = null,
        ["MSBuildExtensionsPath"] = null,
        ["MSBuildSDKsPath"] = null,
        ["MSBUILDNOINPROCNODE"] = null,
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
    };

    /// <summary>The dotnet that runs these tests (set by the SDK for the processes it starts), else the one on PATH.</summary>
    private static string Host
    {
        get
        {
            var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(hostPath) && File.Exists(hostPath) ? hostPath : "dotnet";
        }
    }

    public static DotnetRun Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Host)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in BaseEnvironment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish in {Timeout}:\n{output}");
        }

        process.WaitForExit();
        return new DotnetRun(string.Join(' ', arguments), process.ExitCode, output.ToString(), stopwatch.Elapsed);
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.Append(line).Append('\n');
        }
    }
}
