using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Benchmarks;

/// <summary>
/// A cross-check of <see cref="AnalyzerBenchmarks"/> for a shared machine: the same operations, measured in turn in
/// one process, round after round, so a change of load hits every set alike (BenchmarkDotNet measures one case after
/// another, each in its own process, and a load that comes and goes skews the ratios between them). Reports medians of
/// wall-clock and process CPU time and the same ratios as the benchmark's columns.
/// </summary>
public static class AnalyzerInterleaved
{
    public const int Rounds = 6;

    public static readonly int[] Sizes = [50_000, 100_000];

    public static void Write(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var netCpu = new Dictionary<(string, int), double>();
        foreach (var lines in Sizes)
        {
            var workspace = AnalyzerWorkspace.Create(lines, output);
            workspace.VerifyEmpty(output);
            var ours = workspace.VerifyOurs(output).Diagnostics.Length;
            var ca2000 = workspace.VerifyDisposeAnalyzer("CA2000", AnalyzerSets.DisposeObjectsBeforeLosingScope, id => id == AnalyzerSets.Ca2000, output).Diagnostics.Length;
            var idisposable = workspace.VerifyDisposeAnalyzer("IDisposableAnalyzers", AnalyzerSets.IDisposableAnalyzers, id => id is "IDISP001" or "IDISP004", output).Diagnostics.Length;
            var operations = new (string Name, Func<long> Run)[]
            {
                ("Compilation", () => Emit(workspace)),
                ("EmptyAnalyzer", () => Analyze(workspace, AnalyzerSets.Empty, 0)),
                ("OperationFloor", () => Analyze(workspace, AnalyzerSets.OperationFloor, 0)),
                ("OurAnalyzers", () => Analyze(workspace, AnalyzerSets.Ours, ours)),
                ("CA2000", () => Analyze(workspace, AnalyzerSets.DisposeObjectsBeforeLosingScope, ca2000)),
                ("IDisposableAnalyzers", () => Analyze(workspace, AnalyzerSets.IDisposableAnalyzers, idisposable)),
            };
            var wall = operations.ToDictionary(o => o.Name, _ => new List<double>());
            var cpu = operations.ToDictionary(o => o.Name, _ => new List<double>());
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var (name, run) in operations)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                    var cpuAtStart = Environment.CpuUsage.TotalTime;
                    var clock = Stopwatch.StartNew();
                    _ = run();
                    clock.Stop();

                    // The first round warms up (JIT, first loads) and is left out.
                    if (round > 0)
                    {
                        wall[name].Add(clock.Elapsed.TotalMilliseconds);
                        cpu[name].Add((Environment.CpuUsage.TotalTime - cpuAtStart).TotalMilliseconds);
                    }
                }
            }

            double Wall(string name) => AnalyzerTelemetry.MedianOf(wall[name]);
            double Cpu(string name) => AnalyzerTelemetry.MedianOf(cpu[name]);
            output.WriteLine();
            output.WriteLine(FormattableString.Invariant($"{workspace.Lines} lines, medians of {Rounds - 1} interleaved rounds:"));
            output.WriteLine("| Operation | Wall | CPU | Net/Compile | CPU Net/Compile | CPU OpNet/Compile | CPU Net/Ours |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var (name, _) in operations)
            {
                var analyzerSet = name is not ("Compilation" or "EmptyAnalyzer" or "OperationFloor");
                string Share(double value) => analyzerSet ? value.ToString("P1", CultureInfo.InvariantCulture) : "-";
                netCpu[(name, lines)] = Cpu(name) - Cpu("EmptyAnalyzer");
                var versusOurs = analyzerSet ? (netCpu[(name, lines)] / (Cpu("OurAnalyzers") - Cpu("EmptyAnalyzer"))).ToString("F2", CultureInfo.InvariantCulture) : "-";
                var netWall = Share((Wall(name) - Wall("EmptyAnalyzer")) / Wall("Compilation"));
                var netOfCompile = Share(netCpu[(name, lines)] / Cpu("Compilation"));
                var overFloor = Share((Cpu(name) - Cpu("OperationFloor")) / Cpu("Compilation"));
                output.WriteLine(FormattableString.Invariant(
                    $"| {name} | {Wall(name):N0} ms | {Cpu(name):N0} ms | {netWall} | {netOfCompile} | {overFloor} | {versusOurs} |"));
            }
        }

        output.WriteLine();
        foreach (var name in new[] { "OurAnalyzers", "CA2000", "IDisposableAnalyzers" })
        {
            output.WriteLine(FormattableString.Invariant(
                $"CPU net growth {name}, {Sizes[1]} / {Sizes[0]} lines: {netCpu[(name, Sizes[1])] / netCpu[(name, Sizes[0])]:F2}"));
        }
    }

    private static long Emit(AnalyzerWorkspace workspace)
    {
        using var stream = new MemoryStream();
        return workspace.CreateCompilation().Emit(stream).Success ? stream.Length : throw new InvalidOperationException("Analyzer benchmarks: emit failed");
    }

    private static long Analyze(AnalyzerWorkspace workspace, ImmutableArray<DiagnosticAnalyzer> analyzers, int expected)
    {
        var reported = workspace.BuildDiagnostics(analyzers);
        return reported == expected ? reported : throw new InvalidOperationException($"Analyzer benchmarks: {reported} diagnostics, expected {expected}");
    }
}
