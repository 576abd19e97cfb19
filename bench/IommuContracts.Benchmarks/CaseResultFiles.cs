using System.Globalization;
using System.Text.Json;

namespace IommuContracts.Benchmarks;

/// <summary>
/// Measurements handed from a benchmark process to the host that prints the summary: each benchmark case writes its
/// telemetry (median of warm runs) and its CPU time per operation (median of its iterations) to files under the
/// project's BenchmarkDotNet.Artifacts/case-results, which the analyzer columns read.
/// </summary>
public static class CaseResultFiles
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string Directory { get; } = Path.Combine(ProjectDirectory() ?? Path.GetTempPath(), "BenchmarkDotNet.Artifacts", "case-results");

    public static void WriteTelemetry(string method, int lines, AnalyzerTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        Write(PathOf(method, lines, "telemetry"), JsonSerializer.Serialize(telemetry.PerAnalyzer.ToArray(), Json));
    }

    public static AnalyzerTelemetry? TryReadTelemetry(string method, int lines)
        => TryRead(PathOf(method, lines, "telemetry")) is { } text && JsonSerializer.Deserialize<AnalyzerTime[]>(text) is { } times
            ? new AnalyzerTelemetry([.. times])
            : null;

    /// <summary>Process CPU time (all threads) per operation, in milliseconds.</summary>
    public static void WriteCpu(string method, int lines, double milliseconds)
        => Write(PathOf(method, lines, "cpu"), milliseconds.ToString("R", CultureInfo.InvariantCulture));

    public static double? TryReadCpu(string method, int lines)
        => TryRead(PathOf(method, lines, "cpu")) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Removes what an earlier run left for this case.</summary>
    public static void Delete(string method, int lines)
    {
        foreach (var kind in new[] { "telemetry", "cpu" })
        {
            var path = PathOf(method, lines, kind);
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    private static string PathOf(string method, int lines, string kind)
        => Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"{method}-{lines}.{kind}.json"));

    private static void Write(string path, string text)
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(path, text);
    }

    private static string? TryRead(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    private static string? ProjectDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IommuContracts.Benchmarks.csproj")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
