using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace IommuContracts.Benchmarks;

/// <summary>The ratio columns of <see cref="AnalyzerBenchmarks"/>, all computed from means measured in the same run.</summary>
public sealed class AnalyzerBenchmarkConfig : ManualConfig
{
    public AnalyzerBenchmarkConfig()
        => AddColumn(new NetOfCompileColumn(), new NetVersusOursColumn(), new GrowthColumn(), new TelemetryColumn(), new TelemetryOfCompileColumn());
}

/// <summary>Shared lookups: the mean of another method of the same benchmark at the same (or the smallest) corpus size.</summary>
public abstract class AnalyzerColumn : IColumn
{
    protected const string Compilation = nameof(AnalyzerBenchmarks.Compilation);
    protected const string Empty = nameof(AnalyzerBenchmarks.EmptyAnalyzer);
    protected const string Ours = nameof(AnalyzerBenchmarks.OurAnalyzers);

    public abstract string ColumnName { get; }

    public abstract string Legend { get; }

    public string Id => GetType().Name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        return Compute(summary, benchmarkCase) ?? "-";
    }

    protected abstract string? Compute(Summary summary, BenchmarkCase benchmarkCase);

    protected static string MethodOf(BenchmarkCase benchmarkCase) => benchmarkCase.Descriptor.WorkloadMethod.Name;

    protected static int LinesOf(BenchmarkCase benchmarkCase) => Convert.ToInt32(benchmarkCase.Parameters[nameof(AnalyzerBenchmarks.Lines)], CultureInfo.InvariantCulture);

    /// <summary>Mean time in nanoseconds of <paramref name="method"/> at <paramref name="lines"/>, if it ran.</summary>
    protected static double? Mean(Summary summary, string method, int lines)
        => summary.BenchmarksCases.FirstOrDefault(c => MethodOf(c) == method && LinesOf(c) == lines) is { } found
           && summary[found]?.ResultStatistics is { } statistics
            ? statistics.Mean
            : null;

    /// <summary>Mean minus the empty analyzer's mean: what the analyzers add to the driver and the compiler's binding.</summary>
    protected static double? Net(Summary summary, string method, int lines)
        => Mean(summary, method, lines) is { } mean && Mean(summary, Empty, lines) is { } empty ? mean - empty : null;

    protected static bool IsAnalyzerSet(string method) => method is not (Compilation or Empty);

    protected static string Percent(double value) => value.ToString("P1", CultureInfo.InvariantCulture);

    protected static string Ratio(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    public override string ToString() => ColumnName;
}

/// <summary>(analyzers − empty analyzer) / compilation: the analyzers' share of the compiler's time (the .NET budget is &lt; 30% for all analyzers).</summary>
public sealed class NetOfCompileColumn : AnalyzerColumn
{
    public override string ColumnName => "Net/Compile";

    public override string Legend => "(mean - EmptyAnalyzer mean) / Compilation mean, same corpus size: what the analyzers add, as a share of compiling";

    protected override string? Compute(Summary summary, BenchmarkCase benchmarkCase)
    {
        var method = MethodOf(benchmarkCase);
        var lines = LinesOf(benchmarkCase);
        return IsAnalyzerSet(method) && Net(summary, method, lines) is { } net && Mean(summary, Compilation, lines) is { } compile ? Percent(net / compile) : null;
    }
}

/// <summary>(this set − empty) / (ours − empty): how much more a peer analyzer adds than ours.</summary>
public sealed class NetVersusOursColumn : AnalyzerColumn
{
    public override string ColumnName => "Net/Ours";

    public override string Legend => "(mean - EmptyAnalyzer mean) / (OurAnalyzers mean - EmptyAnalyzer mean), same corpus size";

    protected override string? Compute(Summary summary, BenchmarkCase benchmarkCase)
    {
        var method = MethodOf(benchmarkCase);
        var lines = LinesOf(benchmarkCase);
        return IsAnalyzerSet(method) && Net(summary, method, lines) is { } net && Net(summary, Ours, lines) is { } ours && ours > 0 ? Ratio(net / ours) : null;
    }
}

/// <summary>mean / mean of the same method on the smallest corpus: 2.00 is linear growth from 50k to 100k lines.</summary>
public sealed class GrowthColumn : AnalyzerColumn
{
    public override string ColumnName => "Growth";

    public override string Legend => "Mean / mean of the same method on the smallest corpus (2.00 = linear from 50k to 100k lines)";

    protected override string? Compute(Summary summary, BenchmarkCase benchmarkCase)
    {
        var method = MethodOf(benchmarkCase);
        var smallest = summary.BenchmarksCases.Where(c => MethodOf(c) == method).Min(LinesOf);
        return Mean(summary, method, LinesOf(benchmarkCase)) is { } mean && Mean(summary, method, smallest) is { } first && first > 0 ? Ratio(mean / first) : null;
    }
}

/// <summary>Roslyn's telemetry: the summed ExecutionTime of the set's analyzers (median of warm runs), in milliseconds.</summary>
public sealed class TelemetryColumn : AnalyzerColumn
{
    public override string ColumnName => "Telemetry";

    public override string Legend => "Sum over the set's analyzers of Roslyn's AnalyzerTelemetryInfo.ExecutionTime, median of warm runs (ms); per-analyzer times in BenchmarkDotNet.Artifacts/telemetry";

    protected override string? Compute(Summary summary, BenchmarkCase benchmarkCase)
        => IsAnalyzerSet(MethodOf(benchmarkCase)) && AnalyzerTelemetryFiles.TryRead(MethodOf(benchmarkCase), LinesOf(benchmarkCase)) is { } telemetry
            ? telemetry.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture) + " ms"
            : null;
}

/// <summary>Telemetry / compilation mean: the analyzers' own execution time as a share of compiling.</summary>
public sealed class TelemetryOfCompileColumn : AnalyzerColumn
{
    public override string ColumnName => "Tel/Compile";

    public override string Legend => "Telemetry / Compilation mean, same corpus size";

    protected override string? Compute(Summary summary, BenchmarkCase benchmarkCase)
    {
        var method = MethodOf(benchmarkCase);
        var lines = LinesOf(benchmarkCase);
        return IsAnalyzerSet(method) && AnalyzerTelemetryFiles.TryRead(method, lines) is { } telemetry && Mean(summary, Compilation, lines) is { } compile
            ? Percent(telemetry.TotalMilliseconds * 1e6 / compile)
            : null;
    }
}
