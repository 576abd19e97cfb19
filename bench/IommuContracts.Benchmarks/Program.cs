using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using IommuContracts.Benchmarks;

// dotnet run -c Release --project bench/IommuContracts.Benchmarks -- --filter '*Generator*'               bounded default job
// dotnet run -c Release --project bench/IommuContracts.Benchmarks -- --filter '*Generator*' --job short   quick look (3 warmups, 3 iterations)
// dotnet run -c Release --project bench/IommuContracts.Benchmarks -- --steps                              which pipeline steps re-run after each edit
// dotnet run -c Release --project bench/IommuContracts.Benchmarks -- --filter '*Engine*'                  the engine suites (issues 3 and 4)
// bench/run                                                                                               every suite in the short job, one table of ratios
// dotnet run -c Release --project bench/IommuContracts.Benchmarks -- --analyzers-look [LINES...]             our analyzers' telemetry / compile CPU, a quick look
// DOTNET_TieredCompilation=0 dotnet run -c Release --project bench/IommuContracts.Benchmarks -- --analyzers-interleaved   AnalyzerBenchmarks' ratios, measured in turn in one process
if (args.Contains("--steps", StringComparer.Ordinal))
{
    StepReport.Write(Console.Out);
    return 0;
}

if (args.Contains("--analyzers-look", StringComparer.Ordinal))
{
    var sizes = args.SkipWhile(a => a != "--analyzers-look").Skip(1).TakeWhile(a => int.TryParse(a, out _)).Select(int.Parse).ToList();
    AnalyzerTelemetryLook.Write(Console.Out, sizes.Count > 0 ? sizes : AnalyzerInterleaved.Sizes);
    return 0;
}

if (args.Contains("--analyzers-interleaved", StringComparer.Ordinal))
{
    AnalyzerInterleaved.Write(Console.Out);
    return 0;
}

IConfig config = DefaultConfig.Instance;

// Without an explicit --job, every benchmark gets a bounded job instead of BenchmarkDotNet's open-ended default:
// a compilation of the synthetic project takes seconds, and 100 iterations of it are not worth waiting for.
// (A custom default job replaces whatever --job asks for, so it is only added when --job is absent.)
if (!args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal)))
{
    config = config.AddJob(Job.Default
        .WithId("Bounded")
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithMinIterationCount(6)
        .WithMaxIterationCount(15)
        .AsDefault());
}

// Results go next to this project (not into the current directory, which is usually the repository root).
if (!args.Any(a => a is "--artifacts" || a.StartsWith("--artifacts=", StringComparison.Ordinal)) && ProjectDirectory() is { } projectDirectory)
{
    config = config.WithArtifactsPath(Path.Combine(projectDirectory, "BenchmarkDotNet.Artifacts"));
}

var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;

static string? ProjectDirectory()
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
