using Xunit.Abstractions;

namespace IommuContracts.Engine.Tests.FailNth;

/// <summary>
/// iommufd_fail_nth.c on the engine: every sequence swept with injection from the kernel's
/// fail_nth_enable() point, and once more from the first step so the setup ioctls are swept too.
/// </summary>
public class FailNthTests
{
    private readonly ITestOutputHelper _output;

    public FailNthTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string, ArmPoint> Sweeps()
    {
        var data = new TheoryData<string, ArmPoint>();
        foreach (var sequence in FailNthSequences.All)
        {
            data.Add(sequence.Name, ArmPoint.KernelEnablePoint);
            data.Add(sequence.Name, ArmPoint.SequenceStart);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Sweeps))]
    public void Sweep(string sequence, ArmPoint arm)
    {
        var report = FailNthHarness.Sweep(FailNthSequences.ByName(sequence), arm);
        _output.WriteLine(report.ToString());
        foreach (var violation in report.Violations.Take(40))
        {
            _output.WriteLine(violation);
        }

        Assert.True(report.Violations.Count == 0,
            $"{report.Violations.Count} violations in the fail-nth sweep of {sequence} ({arm}); first:\n{string.Join("\n", report.Violations.Take(10))}");
    }

    [Fact]
    public void Every_sweep_passes_fault_points()
    {
        // A sequence whose steps hit no fault point would sweep nothing and prove nothing.
        foreach (var sequence in FailNthSequences.All)
        {
            var hits = FailNthHarness.CountFaultPoints(sequence, ArmPoint.SequenceStart, out var violations);
            Assert.Empty(violations);
            Assert.True(hits > 0, $"{sequence.Name}: no fault point passed");
        }
    }
}
