using System.Globalization;

namespace IommuContracts.Benchmarks;

/// <summary>
/// A quick look for whoever changes an analyzer: our set's telemetry against the compilation's CPU time at each size,
/// in one process, a few rounds each (the first left out), plus the same set analysed on one thread, whose fastest round
/// is the least disturbed by other load (a shared machine's noise only ever adds time). Minutes instead of the
/// benchmark's quarter hour, and a process to attach a profiler to; the verdict stays with <see cref="AnalyzerBenchmarks"/>.
/// </summary>
public static class AnalyzerTelemetryLook
{
    public static readonly int Rounds = int.TryParse(Environment.GetEnvironmentVariable("IOMMU_LOOK_ROUNDS"), out var rounds) && rounds > 1 ? rounds : 6;

    public static void Write(TextWriter output, IReadOnlyList<int> sizes)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sizes);
        foreach (var lines in sizes)
        {
            var workspace = AnalyzerWorkspace.Create(lines, output);
            workspace.VerifyOurs(output);
            var concurrent = new List<AnalyzerTelemetry>();
            var oneThread = new List<double>();
            var compileCpu = new List<double>();
            var oneThreadCpu = new List<double>();
            var oneThreadBytes = new List<double>();
            for (var round = 0; round < Rounds; round++)
            {
                var run = workspace.Run(AnalyzerSets.Ours);
                GC.Collect();
                AnalyzerRun? alone = null;
                var aloneCpu = 0.0;
                var bytesBeyondFloor = AllocatedBy(() => aloneCpu = CpuOf(() => alone = workspace.Run(AnalyzerSets.Ours, concurrent: false)))
                                       - AllocatedBy(() => workspace.Run(AnalyzerSets.OperationFloor, concurrent: false));
                var compile = CpuOf(() =>
                {
                    using var stream = new MemoryStream();
                    _ = workspace.CreateCompilation().Emit(stream);
                });

                if (round > 0)
                {
                    concurrent.Add(run.Telemetry);
                    oneThread.Add(alone!.Telemetry.TotalMilliseconds);
                    oneThreadCpu.Add(aloneCpu);
                    oneThreadBytes.Add(bytesBeyondFloor);
                    compileCpu.Add(compile);
                }
            }

            var median = AnalyzerTelemetry.Median(concurrent);
            var compileMs = compileCpu.Min();
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"// {workspace.Lines} lines: compilation CPU {compileMs:F0} ms (fastest round); concurrent telemetry {median.TotalMilliseconds:F0} ms " +
                $"(median, {median.TotalMilliseconds / compileMs:P1}); on one thread {oneThread.Min():F0} ms (fastest, {oneThread.Min() / compileMs:P1}), " +
                $"median {AnalyzerTelemetry.MedianOf(oneThread):F0} ms; the one-thread pass (binding included) {oneThreadCpu.Min():F0} ms CPU (fastest), " +
                $"{AnalyzerTelemetry.MedianOf(oneThreadBytes) / 1e6:F0} MB allocated beyond the operation floor's; {median.Describe(3)}"));
        }
    }

    private static double AllocatedBy(Action action)
    {
        var start = GC.GetTotalAllocatedBytes(precise: true);
        action();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - start;
        GC.Collect();
        return allocated;
    }

    private static double CpuOf(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var start = Environment.CpuUsage.TotalTime;
        action();
        return (Environment.CpuUsage.TotalTime - start).TotalMilliseconds;
    }
}
