using System.Collections.Immutable;
using System.Globalization;
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

    public static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

public sealed record AnalyzerTime(string Analyzer, double Milliseconds);
