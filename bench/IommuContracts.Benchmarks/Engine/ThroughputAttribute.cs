namespace IommuContracts.Benchmarks.Engine;

/// <summary>
/// What one operation of a benchmark moves, so that <see cref="ThroughputColumnsAttribute"/> can turn its mean
/// time into pages/s and PTEs/s and compare them with a kernel figure. The numbers are declared (computed from
/// the buffer and IO page sizes) because the columns are computed in the host process, after the benchmark
/// process is gone; each benchmark's GlobalSetup checks them against the engine's own counters.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ThroughputAttribute : Attribute
{
    public ThroughputAttribute(long pagesPerOperation) => PagesPerOperation = pagesPerOperation;

    /// <summary>4 KiB user pages covered by one operation.</summary>
    public long PagesPerOperation { get; }

    /// <summary>IOMMU PTEs written by one operation, over all domains (0: none, the column shows "-").</summary>
    public long PtesPerOperation { get; init; }

    /// <summary>The kernel's rate for comparable work, in 4 KiB pages per second (0: no comparison).</summary>
    public double KernelPagesPerSecond { get; init; }
}
