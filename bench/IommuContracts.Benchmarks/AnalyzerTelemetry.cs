using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Benchmarks;

/// <summary>
/// Roslyn's own account of one analyzer run (<c>logAnalyzerExecutionTime: true</c>, then
/// <see cref="CompilationWithAnalyzers.GetAnalyzerTelemetryInfoAsync"/>): the time spent inside each analyzer's actions.
/// Actions run concurrently, so the times are for comparing analyzers, as <c>/reportanalyzer</c>'s are.
/// </summary>
public sealed record AnalyzerTelemetry(ImmutableArray<AnalyzerTime> PerAnalyzer)
{
    public double TotalMilliseconds => PerAnalyzer.Sum(a => a.Milliseconds);

    public static AnalyzerTelemetry Read(CompilationWithAnalyzers compilation)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        return new AnalyzerTelemetry(compilation.Analyzers
            .Select(a => new AnalyzerTime(a.GetType().Name, compilation.GetAnalyzerTelemetryInfoAsync(a, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime.TotalMilliseconds))
            .OrderByDescending(a => a.Milliseconds)
            .ToImmutableArray());
    }

    /// <summary>Per analyzer, the median over <paramref name="runs"/>.</summary>
    public static AnalyzerTelemetry Median(IReadOnlyList<AnalyzerTelemetry> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return new AnalyzerTelemetry(runs.SelectMany(r => r.PerAnalyzer)
            .GroupBy(a => a.Analyzer, StringComparer.Ordinal)
            .Select(g => new AnalyzerTime(g.Key, MedianOf(g.Select(a => a.Milliseconds))))
            .OrderByDescending(a => a.Milliseconds)
            .ToImmutableArray());
    }

    public string Describe(int top = 12)
        => string.Join(", ", PerAnalyzer.Take(top).Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Analyzer} {a.Milliseconds:F0} ms")))
           + (PerAnalyzer.Length > top ? $", … ({PerAnalyzer.Length - top} more)" : string.Empty);

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

public sealed record AnalyzerTime(string Analyzer, double Milliseconds);

/// <summary>
/// Telemetry handed from a benchmark process to the host that prints the summary: each benchmark case writes the
/// median of its iterations to one file under the project's BenchmarkDotNet.Artifacts/telemetry, which the
/// telemetry columns read.
/// </summary>
public static class AnalyzerTelemetryFiles
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string Directory { get; } = Path.Combine(ProjectDirectory() ?? Path.GetTempPath(), "BenchmarkDotNet.Artifacts", "telemetry");

    public static string PathOf(string method, int lines) => Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"{method}-{lines}.json"));

    public static void Write(string method, int lines, AnalyzerTelemetry telemetry)
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(PathOf(method, lines), JsonSerializer.Serialize(telemetry.PerAnalyzer.ToArray(), Json));
    }

    public static void Delete(string method, int lines)
    {
        if (File.Exists(PathOf(method, lines)))
        {
            File.Delete(PathOf(method, lines));
        }
    }

    public static AnalyzerTelemetry? TryRead(string method, int lines)
    {
        var path = PathOf(method, lines);
        return File.Exists(path) && JsonSerializer.Deserialize<AnalyzerTime[]>(File.ReadAllText(path)) is { } times
            ? new AnalyzerTelemetry([.. times])
            : null;
    }

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
