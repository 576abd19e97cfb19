using IommuContracts.Engine.Host;
using IommuContracts.Uapi;
using static IommuContracts.Engine.Tests.FailNth.FailNthStep;

namespace IommuContracts.Engine.Tests.FailNth;

/// <summary>
/// The harness must fail when a step misbehaves under injection. Each sequence here wraps a real ioctl in
/// a step that breaks one rule only after the injection fired; the sweep has to name that rule. A clean
/// sequence must sweep without a violation.
/// </summary>
public class FailNthHarnessSelfTests
{
    [Fact]
    public void A_well_behaved_sequence_sweeps_clean()
    {
        var report = FailNthHarness.Sweep(Sequence("clean", s => () => s.IoasAlloc(out _)), ArmPoint.KernelEnablePoint);
        Assert.Empty(report.Violations);
        Assert.Equal(2, report.Swept);
    }

    [Fact]
    public void A_swallowed_injection_is_reported()
    {
        var report = FailNthHarness.Sweep(Sequence("swallow", s => () =>
        {
            var result = s.IoasAlloc(out _);
            return result.Errno == Errno.None ? result : new StepResult(Errno.None, "ioas 1");
        }), ArmPoint.KernelEnablePoint);
        Assert.Contains(report.Violations, v => v.Contains("swallowed", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failure_that_changes_state_is_reported()
    {
        var report = FailNthHarness.Sweep(Sequence("trace", s => () =>
        {
            var result = s.IoasAlloc(out _);
            if (result.Errno != Errno.None)
            {
                // A half-built object left behind: an IOAS nobody asked for.
                s.Kernel.Faults.Disarm();
                Assert.Equal(Errno.None, s.File.IoasAlloc(IommuIoasAllocFlags.None, out _));
            }

            return result;
        }), ArmPoint.KernelEnablePoint);
        Assert.Contains(report.Violations, v => v.Contains("changed state", StringComparison.Ordinal));
        Assert.Contains(report.Violations, v => v.Contains("left a trace", StringComparison.Ordinal));
    }

    [Fact]
    public void A_wrong_errno_is_reported()
    {
        var report = FailNthHarness.Sweep(Sequence("errno", s => () =>
        {
            var result = s.IoasAlloc(out _);
            return result.Errno == Errno.None ? result : result with { Errno = Errno.EINVAL };
        }), ArmPoint.KernelEnablePoint);
        Assert.Contains(report.Violations, v => v.Contains("the injected failure's errno is ENOMEM", StringComparison.Ordinal));
    }

    [Fact]
    public void An_escaping_exception_is_reported()
    {
        var report = FailNthHarness.Sweep(Sequence("throw", s => () =>
        {
            var result = s.IoasAlloc(out _);
            return result.Errno == Errno.None ? result : throw new InvalidOperationException("escaped from an ioctl");
        }), ArmPoint.KernelEnablePoint);
        Assert.Contains(report.Violations, v => v.Contains("InvalidOperationException escaped", StringComparison.Ordinal));
    }

    [Fact]
    public void A_leaked_pin_is_reported()
    {
        var report = FailNthHarness.Sweep(Sequence("pin", s => () =>
        {
            var result = s.IoasAlloc(out _);
            if (result.Errno != Errno.None)
            {
                var page = new UserPage[1];
                Assert.Equal(Errno.None, s.Process.GetUserPages(s.Buffer, 1, write: false, page));
                page[0].Pin();
            }

            return result;
        }), ArmPoint.KernelEnablePoint);
        Assert.Contains(report.Violations, v => v.Contains("buffer pages still pinned", StringComparison.Ordinal));
        Assert.Contains(report.Violations, v => v.Contains("MD_CHECK_REFS", StringComparison.Ordinal));
    }

    [Fact]
    public void A_later_step_changed_by_an_earlier_injection_is_reported()
    {
        // The second step breaks once the first one has failed (as if the failure had left a trace that
        // only a later ioctl trips over); the retry-and-continue runs must notice.
        var sequence = new FailNthSequence("later", s =>
        [
            Ok("open /dev/iommu", s.Open),
            EnableInjection,
            Ok("IOAS_ALLOC", () => s.IoasAlloc(out _)),
            Ok("IOAS_ALLOC #2", () => s.Kernel.Faults.Fired is null ? s.IoasAlloc(out _) : new StepResult(Errno.EBUSY)),
        ]);
        var report = FailNthHarness.Sweep(sequence, ArmPoint.KernelEnablePoint);
        Assert.Contains(report.Violations, v => v.Contains("RetryAndContinue", StringComparison.Ordinal)
            && v.Contains("step #3 IOAS_ALLOC #2: returned EBUSY, the clean run got None", StringComparison.Ordinal));
    }

    // open; fail_nth_enable(); one step.
    private static FailNthSequence Sequence(string name, Func<FailNthSession, Func<StepResult>> step)
        => new(name, s => [Ok("open /dev/iommu", s.Open), EnableInjection, Ok(name, step(s))]);
}
