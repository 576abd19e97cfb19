using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;

namespace IommuContracts.Benchmarks;

/// <summary>
/// Runs the benchmark processes with tiered compilation off, so Roslyn's code is fully optimized from its first
/// call. With tiering on, a few warmups of a 100 ms operation still run partly on tier-0 code (a generator run
/// kept getting faster for 25+ iterations), and a short job would measure JIT warmup instead of the generator.
/// The compiler server and the IDE, whose steady state these ratios describe, are long-running processes.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class SteadyStateJitAttribute : JobMutatorConfigBaseAttribute
{
    public SteadyStateJitAttribute()
        : base(Job.Default.WithEnvironmentVariables(new EnvironmentVariable("DOTNET_TieredCompilation", "0")))
    {
    }
}
