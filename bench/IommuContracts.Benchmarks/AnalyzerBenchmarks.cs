using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Benchmarks;

/// <summary>
/// What our contract analyzers cost on a generated driver corpus of 50 000 and 100 000 lines (half iommufd kAPI
/// drivers, half ordinary code), next to the compiler's own time, the analyzer driver with an empty analyzer, CA2000
/// (NetAnalyzers' DisposeObjectsBeforeLosingScope, interprocedural) and IDisposableAnalyzers, all in one run.
/// </summary>
/// <remarks>
/// <para>
/// Baseline: <see cref="Compilation"/> binds and emits the corpus, the work of the Csc task against which the .NET
/// team's budget (all analyzers &lt; 30%) is stated. GetDiagnostics alone would leave out lowering and emit and so
/// overstate the analyzers' share.
/// </para>
/// <para>
/// Every analyzer benchmark is the build pass: <see cref="CompilationWithAnalyzers.GetAllDiagnosticsAsync(CancellationToken)"/>,
/// where the compiler binds the corpus once and its compilation events feed the analyzers. The empty analyzer
/// (registers nothing) gives that pass's floor, so mean − <see cref="EmptyAnalyzer"/> is what a set of analyzers adds
/// (the Net columns). Through <c>GetAnalyzerDiagnosticsAsync</c> an empty analyzer costs nothing at all (the driver
/// skips a compilation nobody listens to), which would charge the whole binding to the first real analyzer.
/// </para>
/// <para>
/// GlobalSetup checks what each benchmark relies on and throws otherwise: the corpus compiles without errors or
/// warnings; our analyzers report exactly the seeded IOMMU0004 / IOMMU0008 bugs and nothing else; CA2000 and
/// IDisposableAnalyzers flag every seeded dispose leak. It then takes Roslyn's telemetry (per-analyzer execution time)
/// from warm runs for the telemetry columns, and every measured invocation checks its diagnostic count again. The CPU
/// columns repeat the ratios with the process's CPU time per operation, which a loaded machine disturbs far less.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[InvocationCount(1)]
[SteadyStateJit]
[Config(typeof(AnalyzerBenchmarkConfig))]
public class AnalyzerBenchmarks
{
    /// <summary>Warm runs with telemetry after the cold verification run; the telemetry columns show their median.</summary>
    public const int TelemetryRuns = 2;

    private readonly List<double> _cpuMilliseconds = [];
    private AnalyzerWorkspace _workspace = null!;
    private int _expectedDiagnostics;
    private string _method = string.Empty;
    private TimeSpan _cpuAtStart;

    [Params(50_000, 100_000)]
    public int Lines { get; set; }

    [GlobalSetup(Target = nameof(Compilation))]
    public void SetUpCompilation()
    {
        Start(nameof(Compilation));
        if (Emit() == 0)
        {
            throw new InvalidOperationException("Analyzer benchmarks: the corpus emitted nothing");
        }
    }

    [GlobalSetup(Target = nameof(EmptyAnalyzer))]
    public void SetUpEmptyAnalyzer()
    {
        Start(nameof(EmptyAnalyzer));
        _workspace.VerifyEmpty(Console.Out);
        _expectedDiagnostics = 0;
    }

    [GlobalSetup(Target = nameof(OperationFloor))]
    public void SetUpOperationFloor()
    {
        Start(nameof(OperationFloor));
        if (_workspace.Run(AnalyzerSets.OperationFloor).Diagnostics.Length != 0)
        {
            throw new InvalidOperationException("Analyzer benchmarks: the no-op operation analyzer reported something");
        }

        _expectedDiagnostics = 0;
    }

    [GlobalSetup(Target = nameof(OurAnalyzers))]
    public void SetUpOurAnalyzers()
    {
        Start(nameof(OurAnalyzers));
        var run = _workspace.VerifyOurs(Console.Out);
        _expectedDiagnostics = run.Diagnostics.Length;
        TakeTelemetry(nameof(OurAnalyzers), AnalyzerSets.Ours, run);
    }

    [GlobalSetup(Target = nameof(CA2000))]
    public void SetUpCa2000()
    {
        Start(nameof(CA2000));
        var run = _workspace.VerifyDisposeAnalyzer("CA2000", AnalyzerSets.DisposeObjectsBeforeLosingScope, id => id == AnalyzerSets.Ca2000, Console.Out);
        _expectedDiagnostics = run.Diagnostics.Length;
        TakeTelemetry(nameof(CA2000), AnalyzerSets.DisposeObjectsBeforeLosingScope, run);
    }

    [GlobalSetup(Target = nameof(IDisposableAnalyzers))]
    public void SetUpIDisposableAnalyzers()
    {
        Start(nameof(IDisposableAnalyzers));

        // IDISP001 (dispose created) and IDISP004 (don't ignore created) are its leak rules.
        var run = _workspace.VerifyDisposeAnalyzer(nameof(IDisposableAnalyzers), AnalyzerSets.IDisposableAnalyzers, id => id is "IDISP001" or "IDISP004", Console.Out);
        _expectedDiagnostics = run.Diagnostics.Length;
        TakeTelemetry(nameof(IDisposableAnalyzers), AnalyzerSets.IDisposableAnalyzers, run);
    }

    // The process's CPU time (all threads) around each iteration: on a loaded machine it varies far less than wall-clock
    // time. Iterations run one invocation each, so an iteration's CPU time is one operation's.
    [IterationSetup]
    public void StartCpuClock() => _cpuAtStart = Environment.CpuUsage.TotalTime;

    [IterationCleanup]
    public void StopCpuClock() => _cpuMilliseconds.Add((Environment.CpuUsage.TotalTime - _cpuAtStart).TotalMilliseconds);

    /// <summary>Hands the median CPU time per operation (the first, jitting iteration left out) to the summary's columns.</summary>
    [GlobalCleanup]
    public void WriteCpuTime()
    {
        if (_cpuMilliseconds.Count > 1)
        {
            CaseResultFiles.WriteCpu(_method, Lines, AnalyzerTelemetry.MedianOf(_cpuMilliseconds.Skip(1)));
        }
    }

    /// <summary>The compiler alone: bind and emit the corpus (parsing excluded: every benchmark starts from the same trees).</summary>
    [Benchmark(Baseline = true)]
    public long Compilation() => Emit();

    /// <summary>The build pass with an analyzer that registers nothing: the compiler's binding plus the analyzer driver.</summary>
    [Benchmark]
    public int EmptyAnalyzer() => Analyze(AnalyzerSets.Empty);

    /// <summary>
    /// The build pass with an analyzer that takes every operation block and invocation and does nothing: the floor of
    /// any IOperation-based analyzer. In an SDK build the default NetAnalyzers already pay it, so mean − this is what
    /// our analyzers add to such a build (the OpNet column).
    /// </summary>
    [Benchmark]
    public int OperationFloor() => Analyze(AnalyzerSets.OperationFloor);

    /// <summary>The build pass with every analyzer of IommuContracts.Analyzers.</summary>
    [Benchmark]
    public int OurAnalyzers() => Analyze(AnalyzerSets.Ours);

    /// <summary>The build pass with CA2000 enabled and its interprocedural dispose analysis.</summary>
    [Benchmark]
    public int CA2000() => Analyze(AnalyzerSets.DisposeObjectsBeforeLosingScope);

    /// <summary>The build pass with all of IDisposableAnalyzers.</summary>
    [Benchmark]
    public int IDisposableAnalyzers() => Analyze(AnalyzerSets.IDisposableAnalyzers);

    private void Start(string method)
    {
        _method = method;
        CaseResultFiles.Delete(method, Lines);
        _workspace = AnalyzerWorkspace.Create(Lines, Console.Out);
    }

    private long Emit()
    {
        using var stream = new MemoryStream();
        var result = _workspace.CreateCompilation().Emit(stream);
        return result.Success
            ? stream.Length
            : throw new InvalidOperationException("Analyzer benchmarks: emit failed: " + string.Join(Environment.NewLine, result.Diagnostics.Take(5)));
    }

    private int Analyze(ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var reported = _workspace.BuildDiagnostics(analyzers);
        return reported == _expectedDiagnostics
            ? reported
            : throw new InvalidOperationException($"Analyzer benchmarks: {reported} analyzer diagnostics, expected {_expectedDiagnostics}");
    }

    // The verification run was cold (JIT, first loads); the columns get the median of warm runs.
    private void TakeTelemetry(string method, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerRun cold)
    {
        var warm = Enumerable.Range(0, TelemetryRuns).Select(_ => _workspace.Run(analyzers)).ToList();
        if (warm.Any(r => r.Diagnostics.Length != cold.Diagnostics.Length))
        {
            throw new InvalidOperationException("Analyzer benchmarks: the telemetry runs reported other diagnostics than the verification run");
        }

        var median = AnalyzerTelemetry.Median(warm.Select(r => r.Telemetry).ToList());
        CaseResultFiles.WriteTelemetry(method, Lines, median);
        Console.WriteLine(FormattableString.Invariant(
            $"// Telemetry ({method}, {_workspace.Lines} lines, median of {TelemetryRuns} warm runs): {median.TotalMilliseconds:F0} ms in all: {median.Describe()}"));
    }
}
