using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace IommuContracts.Benchmarks.Engine;

/// <summary>
/// Adds Pages/s, PTEs/s and "vs kernel" columns, computed from each benchmark's mean time and its
/// <see cref="ThroughputAttribute"/>. Benchmarks without the attribute show "-".
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ThroughputColumnsAttribute : ColumnConfigBaseAttribute
{
    public ThroughputColumnsAttribute()
        : base(
            new ThroughputColumn(
                "Pages/s",
                "4 KiB user pages covered per second (pages per operation / mean)",
                (t, seconds) => t.PagesPerOperation / seconds,
                Rate),
            new ThroughputColumn(
                "PTEs/s",
                "IOMMU PTEs written per second over all domains; PTEs per operation follow from the IO page size and are checked against the domains' counters in GlobalSetup",
                (t, seconds) => t.PtesPerOperation == 0 ? null : t.PtesPerOperation / seconds,
                Rate),
            new ThroughputColumn(
                "vs kernel",
                "Pages/s divided by the VFIO type1 MAP figure for the same page size (KernelFigures); above 1 is faster than the kernel",
                (t, seconds) => t.KernelPagesPerSecond == 0 ? null : t.PagesPerOperation / seconds / t.KernelPagesPerSecond,
                value => value.ToString("0.000", CultureInfo.InvariantCulture)))
    {
    }

    /// <summary>Rates with a metric prefix, e.g. "12.3 M".</summary>
    private static string Rate(double value) => value switch
    {
        >= 1e9 => (value / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " G",
        >= 1e6 => (value / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M",
        >= 1e3 => (value / 1e3).ToString("0.00", CultureInfo.InvariantCulture) + " K",
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };

    private sealed class ThroughputColumn : IColumn
    {
        private readonly Func<ThroughputAttribute, double, double?> _value;
        private readonly Func<double, string> _format;

        public ThroughputColumn(string name, string legend, Func<ThroughputAttribute, double, double?> value, Func<double, string> format)
        {
            ColumnName = name;
            Legend = legend;
            _value = value;
            _format = format;
        }

        public string Id => nameof(ThroughputColumn) + "." + ColumnName;

        public string ColumnName { get; }

        public string Legend { get; }

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var throughput = benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttribute<ThroughputAttribute>();
            var meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (throughput is null || meanNanoseconds is not > 0)
            {
                return "-";
            }

            return _value(throughput, meanNanoseconds.Value / 1e9) is { } value ? _format(value) : "-";
        }

        public override string ToString() => ColumnName;
    }
}
