using System.Diagnostics;
using IommuContracts.Engine.Tests.Fuzz.Sequences;
using IommuContracts.Engine.Tests.Support.Hosts;
using IommuContracts.Engine.Tests.Support.Replay;
using IommuContracts.Replay;

// The differential replay: every scenario runs on the engine (a kernel profile) and on the other side (the running
// kernel, or a second profile), recorded step by step, and the two recordings are compared.
var options = ReplayOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(ReplayOptions.Usage);
    return 2;
}

// The engine models the running kernel's CONFIG_TRANSPARENT_HUGEPAGE unless told otherwise (it changes automatic IOVAs).
var thp = options.TransparentHugePages ?? (options.Kernel is not null || GuestFacts.HasTransparentHugePages);
var engine = ReplaySide.Simulated(options.Engine, transparentHugePages: thp);
ReplaySide other;
if (options.Kernel is { } profile)
{
    other = ReplaySide.Simulated(profile, $"simulated({profile})", thp);
}
else if (LinuxProcessHost.IsAvailable())
{
    other = ReplaySide.Linux();
}
else
{
    Console.Error.WriteLine("no /dev/iommu here (a kernel with CONFIG_IOMMUFD, on Linux x86-64/arm64): use --boot simulated, or --kernel PROFILE");
    return 2;
}

using var report = new ReplayReport(options.Out, options.Verbose, options.Trace);
report.Line($"replay: {engine} vs {other}, boot {options.Boot}");
if (options.Kernel is null)
{
    foreach (var fact in GuestFacts.Describe())
    {
        report.Line(fact);
    }
}
var clock = Stopwatch.StartNew();

if (options.Boot == "vtd")
{
    // The devices of the VT-d boot, on the engine's VT-d-shaped guest and on the real (or another simulated) guest.
    var vtdOther = options.Kernel is { } vtdProfile ? VtdTour.Engine(vtdProfile, thp) with { Name = $"simulated({vtdProfile}, VT-d guest)" } : other;
    report.Scenarios("vt-d tour", [VtdTour.Compare(VtdTour.Engine(options.Engine, thp), vtdOther)]);
}
else
{
    if (options.Selftests)
    {
        var scenarios = SelftestScenario.All().Where(s => options.Filter is null || s.Id.Contains(options.Filter, StringComparison.Ordinal)).ToList();
        report.Scenarios("selftests", scenarios.Select(s => Comparison.Of(s.Id, s.Run(engine.Name, engine.Create), s.Run(other.Name, other.Create))));
    }

    if (options.Sequences > 0)
    {
        report.Sequences(options.Sequences, options.Seed, options.Length, engine, other, options.Stats);
    }
}

report.Line($"time: {clock.Elapsed.TotalSeconds:F1} s");
return report.Finish();
