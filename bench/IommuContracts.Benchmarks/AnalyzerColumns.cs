using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace IommuContracts.Benchmarks;

/// <summary>The ratio columns of <see cref="AnalyzerBenchmarks"/>, all computed from measurements taken in the same run.</summary>
public sealed class AnalyzerBenchmarkConfig : ManualConfig
{
    public AnalyzerBenchmarkConfig()
    {
        AddColumn(
            new NetOfCompileColumn(Measure.Wall), new NetVersusOursColumn(Measure.Wall), new GrowthColumn(Measure.Wall),
            new CpuColumn(),
            new NetOfCompileColumn(Measure.Cpu), new OverOperationFloorColumn(Measure.Cpu), new NetVersusOursColumn(Measure.Cpu), new GrowthColumn(Measure.Cpu),
            new TelemetryColumn(), new TelemetryOfCompileColumn());
        HideColumns(Column.Error, Column.Gen0, Column.Gen1, Column.Gen2);
    }
}

/// <summary>Which time a column works with: BenchmarkDotNet's wall-clock mean, or the process's CPU time per operation.</summary>
public enum Measure
{
    Wall,
    Cpu,
}

/// <summary>Shared lookups: a measurement of another method of the same benchmark at the same (or the smallest) corpus size.</summary>
public abstract class AnalyzerColumn : IColumn
{
    protected const string Compilation = nameof(AnalyzerBenchmarks.Compilation);
    protected const string Empty = nameof(AnalyzerBenchmarks.EmptyAnalyzer);
    protected const string Ours = nameof(AnalyzerBenchmarks.OurAnalyzers);
    protected const string Floor = nameof(AnalyzerBenchmarks.OperationFloor);

    public abstract string ColumnName { get; }

    public abstract string Legend { get; }

    public string Id => GetType().Name + ColumnName;

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
        return Compute(summary, MethodOf(benchmarkCase), LinesOf(benchmarkCase)) ?? "-";
    }

    public override string ToString() => ColumnName;

    protected abstract string? Compute(Summary summary, string method, int lines);

    protected static string MethodOf(BenchmarkCase benchmarkCase) => benchmarkCase.Descriptor.WorkloadMethod.Name;

    protected static int LinesOf(BenchmarkCase benchmarkCase) => Convert.ToInt32(benchmarkCase.Parameters[nameof(AnalyzerBenchmarks.Lines)], CultureInfo.InvariantCulture);

    protected static string Prefix(Measure measure) => measure == Measure.Cpu ? "CPU " : string.Empty;

    /// <summary>Wall-clock mean or median CPU time of <paramref name="method"/> at <paramref name="lines"/>, in milliseconds, if it ran.</summary>
    protected static double? Time(Summary summary, Measure measure, string method, int lines)
    {
        if (measure == Measure.Cpu)
        {
            return summary.BenchmarksCases.Any(c => MethodOf(c) == method && LinesOf(c) == lines) ? CaseResultFiles.TryReadCpu(method, lines) : null;
        }

        return summary.BenchmarksCases.FirstOrDefault(c => MethodOf(c) == method && LinesOf(c) == lines) is { } found
               && summary[found]?.ResultStatistics is { } statistics
            ? statistics.Mean / 1e6
            : null;
    }

    /// <summary>Time minus the empty analyzer's: what the analyzers add to the compiler's binding and the driver.</summary>
    protected static double? Net(Summary summary, Measure measure, string method, int lines)
        => Time(summary, measure, method, lines) is { } time && Time(summary, measure, Empty, lines) is { } empty ? time - empty : null;

    protected static bool IsAnalyzerSet(string method) => method is not (Compilation or Empty or Floor);

    protected static string Percent(double value) => value.ToString("P1", CultureInfo.InvariantCulture);

    protected static string Ratio(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}

/// <summary>(analyzers − empty analyzer) / compilation: the analyzers' share of the compiler's time (the .NET budget is &lt; 30% for all analyzers).</summary>
public sealed class NetOfCompileColumn(Measure measure) : AnalyzerColumn
{
    public override string ColumnName => Prefix(measure) + "Net/Compile";

    public override string Legend => $"{Prefix(measure)}(time - EmptyAnalyzer time) / Compilation time, same corpus size: what the analyzers add, as a share of compiling";

    protected override string? Compute(Summary summary, string method, int lines)
        => IsAnalyzerSet(method) && Net(summary, measure, method, lines) is { } net && Time(summary, measure, Compilation, lines) is { } compile && compile > 0
            ? Percent(net / compile)
            : null;
}

/// <summary>(analyzers − operation floor) / compilation: what the analyzers add to a build that already runs an IOperation analyzer.</summary>
public sealed class OverOperationFloorColumn(Measure measure) : AnalyzerColumn
{
    public override string ColumnName => Prefix(measure) + "OpNet/Compile";

    public override string Legend => $"{Prefix(measure)}(time - OperationFloor time) / Compilation time, same corpus size: what the analyzers add where an IOperation analyzer (the SDK's NetAnalyzers) already runs";

    protected override string? Compute(Summary summary, string method, int lines)
        => IsAnalyzerSet(method) && Time(summary, measure, method, lines) is { } time && Time(summary, measure, Floor, lines) is { } floor
           && Time(summary, measure, Compilation, lines) is { } compile && compile > 0
            ? Percent((time - floor) / compile)
            : null;
}

/// <summary>(this set − empty) / (ours − empty): how much more a peer analyzer adds than ours.</summary>
public sealed class NetVersusOursColumn(Measure measure) : AnalyzerColumn
{
    public override string ColumnName => Prefix(measure) + "Net/Ours";

    public override string Legend => $"{Prefix(measure)}(time - EmptyAnalyzer time) / (OurAnalyzers time - EmptyAnalyzer time), same corpus size";

    protected override string? Compute(Summary summary, string method, int lines)
        => IsAnalyzerSet(method) && Net(summary, measure, method, lines) is { } net && Net(summary, measure, Ours, lines) is { } ours && ours > 0
            ? Ratio(net / ours)
            : null;
}

/// <summary>Net time (time − empty, for analyzer sets; time, for the baselines) / the same on the smallest corpus: 2.00 is linear.</summary>
public sealed class GrowthColumn(Measure measure) : AnalyzerColumn
{
    public override string ColumnName => Prefix(measure) + "Growth";

    public override string Legend => $"{Prefix(measure)}net time (time - EmptyAnalyzer time for analyzer sets, time for the baselines) / the same on the smallest corpus (2.00 = linear from 50k to 100k lines)";

    protected override string? Compute(Summary summary, string method, int lines)
    {
        var smallest = summary.BenchmarksCases.Where(c => MethodOf(c) == method).Min(LinesOf);
        return Cost(summary, method, lines) is { } cost && Cost(summary, method, smallest) is { } first && first > 0 ? Ratio(cost / first) : null;
    }

    private double? Cost(Summary summary, string method, int lines)
        => IsAnalyzerSet(method) ? Net(summary, measure, method, lines) : Time(summary, measure, method, lines);
}

/// <summary>The median CPU time of the whole process (all threads) per operation.</summary>
public sealed class CpuColumn : AnalyzerColumn
{
    public override string ColumnName => "CPU";

    public override string Legend => "Process CPU time (all threads) per operation, median of the iterations after the first (ms)";

    protected override string? Compute(Summary summary, string method, int lines)
        => Time(summary, Measure.Cpu, method, lines) is { } cpu ? cpu.ToString("N0", CultureInfo.InvariantCulture) + " ms" : null;
}

/// <summary>Roslyn's telemetry: the summed ExecutionTime of the set's analyzers (median of warm runs), in milliseconds.</summary>
public sealed class TelemetryColumn : AnalyzerColumn
{
    public override string ColumnName => "Telemetry";

    public override string Legend => "Sum over the set's analyzers of Roslyn's AnalyzerTelemetryInfo.ExecutionTime, median of warm runs (ms); per analyzer in BenchmarkDotNet.Artifacts/case-results";

    protected override string? Compute(Summary summary, string method, int lines)
        => IsAnalyzerSet(method) && CaseResultFiles.TryReadTelemetry(method, lines) is { } telemetry
            ? telemetry.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture) + " ms"
            : null;
}

/// <summary>Telemetry / compilation's CPU time: the analyzers' own execution time as a share of compiling.</summary>
public sealed class TelemetryOfCompileColumn : AnalyzerColumn
{
    public override string ColumnName => "Tel/Compile";

    public override string Legend => "Telemetry / Compilation CPU time, same corpus size (both sum over threads)";

    protected override string? Compute(Summary summary, string method, int lines)
        => IsAnalyzerSet(method) && CaseResultFiles.TryReadTelemetry(method, lines) is { } telemetry
           && Time(summary, Measure.Cpu, Compilation, lines) is { } compile && compile > 0
            ? Percent(telemetry.TotalMilliseconds / compile)
            : null;
}
