using System.Diagnostics;

namespace IommuContracts.Cli.Tests.Support;

/// <summary>
/// Runs iommufd-check end to end: in-process through the same entry point Main uses (fast; the default), or as
/// the built executable in a child process (real streams and exit code).
/// </summary>
public static class IommufdCheck
{
    /// <summary>The configuration these tests were built in; project inputs use it so their references are already built.</summary>
    public const string BuildConfiguration =
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    public static async Task<CheckRun> RunCheck(string path, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await CheckCommand.RunAsync([path, .. args], stdout, stderr, showProgress: false);
        return new CheckRun(exitCode, stdout.ToString(), stderr.ToString());
    }

    public static async Task<CheckRun> RunCheckExecutable(string path, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "IommuContracts.Cli.dll"));
        start.ArgumentList.Add(path);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CheckRun(process.ExitCode, await stdout, await stderr);
    }
}
