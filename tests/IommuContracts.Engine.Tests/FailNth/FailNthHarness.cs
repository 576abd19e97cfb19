using System.Diagnostics;
using System.Text;
using IommuContracts.Engine.Core;
using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.FailNth;

/// <summary>
/// The fail-nth sweep of spec §5.7 (iommufd_fail_nth.c's TEST_FAIL_NTH): run the sequence once without
/// injection (every step must give its expected result), then for N = 1, 2, … on a fresh process with
/// fail-nth armed at N, until a run completes with nothing fired. After every step and every run it checks:
/// <list type="bullet">
/// <item>the step during which the injection fired returned an error, the injected one (only the kernel's
/// own absorbed case, see <see cref="FailNthStep.AutoDomainAttach"/>, may succeed), and no other step's
/// result changed;</item>
/// <item>no exception escaped an ioctl or close;</item>
/// <item>a failed ioctl changed nothing: the state dump (objects and counters, areas, IOVA, HWPT lists,
/// domain entries, pins, accounting, fds, warnings) is identical before and after it;</item>
/// <item>between ioctls: no reserved (unpublished) IDs, io_pagetable invariants hold, refcounts follow the
/// kernel's model, every domain mirrors its IOAS, every bound device's group translates through the
/// domain of the HWPT it is attached to (or blocks DMA);</item>
/// <item>every N is run three times: stopping at the failed step as the kernel's sequence does (so the
/// teardown starts from the half-done sequence), the same with the fds closed in the other order, and
/// re-running the failed step without injection, which must give what the clean run gave (same IDs, same
/// IOVAs: the failure left no trace), after which the rest of the sequence must complete as in the clean
/// run;</item>
/// <item>closing the fds passes no fault point (release cannot fail); after closing every fd the context
/// is empty, every mock device is back with the kernel, no page of the buffer is pinned, MD_CHECK_REFS is
/// 0 on a fresh fd, locked/pinned accounting is back to 0, no fd is left and no WARN was logged.</item>
/// </list>
/// </summary>
internal static class FailNthHarness
{
    /// <summary>The kernel test's cap is 400 (raised since); a hit means the sweep did not terminate.</summary>
    public const int IterationCap = 1000;

    /// <summary>Runs the sequence once without injection; returns the fault points it passed while armed.</summary>
    public static int CountFaultPoints(FailNthSequence sequence, ArmPoint arm, out IReadOnlyList<string> violations)
    {
        var run = RunOnce(sequence, arm, nth: null, clean: null, FailurePolicy.Stop);
        violations = run.Violations;
        return run.Hits;
    }

    public static SweepReport Sweep(FailNthSequence sequence, ArmPoint arm)
    {
        var clock = Stopwatch.StartNew();
        var report = new SweepReport(sequence.Name, arm);
        var clean = RunOnce(sequence, arm, nth: null, clean: null, FailurePolicy.Stop);
        report.Add(clean, count: false);
        report.CleanHits = clean.Hits;
        if (clean.Violations.Count != 0 || clean.Fired is not null)
        {
            report.Elapsed = clock.Elapsed;
            return report;
        }

        for (var nth = 1; ; nth++)
        {
            if (nth > IterationCap)
            {
                report.Violation($"N={nth}: iteration cap {IterationCap} reached without a run that completed with nothing injected");
                break;
            }

            var run = RunOnce(sequence, arm, nth, clean, FailurePolicy.Stop);
            report.Add(run, count: true);
            report.Add(RunOnce(sequence, arm, nth, clean, FailurePolicy.StopAndCloseIommufdFirst), count: false);
            report.Add(RunOnce(sequence, arm, nth, clean, FailurePolicy.RetryAndContinue), count: false);
            if (run.Fired is null)
            {
                report.Swept = nth - 1;
                if (nth - 1 != clean.Hits)
                {
                    report.Violation($"N={nth}: the sweep ended after {nth - 1} injections but the clean run passed {clean.Hits} fault points");
                }

                break;
            }
        }

        report.Elapsed = clock.Elapsed;
        return report;
    }

    private static RunRecord RunOnce(FailNthSequence sequence, ArmPoint arm, int? nth, RunRecord? clean, FailurePolicy policy)
    {
        var session = new FailNthSession();
        var steps = sequence.Build(session);
        var faults = session.Kernel.Faults;
        var run = new RunRecord(nth, policy);
        var armAt = arm == ArmPoint.SequenceStart ? 0 : IndexOfEnable(steps);
        var armed = false;
        var diverged = false;
        for (var i = 0; i < steps.Count; i++)
        {
            if (i == armAt)
            {
                faults.FailNth(nth ?? int.MaxValue);
                armed = true;
            }

            var step = steps[i];
            if (step.IsEnableMarker)
            {
                run.Results.Add(default);
                continue;
            }

            var where = $"step #{i} {step.Name}";
            var before = armed && session.Context is { } ctx ? Dump(session, ctx) : null;
            var firedBefore = faults.Fired;
            if (!TryRun(step, run, where, out var result))
            {
                break;
            }

            run.Results.Add(result);
            var firedHere = firedBefore is null && faults.Fired is not null;
            CheckBetweenIoctls(session, run, where);
            if (clean is null)
            {
                if (result.Errno != step.Expected)
                {
                    run.Violation($"{where}: without injection returned {result}, expected {step.Expected}" + (step.ExpectedBecause is { } why ? $" ({why})" : string.Empty));
                    break;
                }

                continue;
            }

            var expected = clean.Results[i];
            if (firedHere)
            {
                run.Fired = faults.Fired;
                run.FiredStep = i;
                run.FiredStepName = step.Name;
                where += $" [injected {faults.Fired}]";
                if (result.Errno == Errno.None)
                {
                    if (step.AutoDomainAttach && faults.Fired == FaultPoint.ReservedRegions)
                    {
                        // The kernel's auto_get_domain absorbs EINVAL from an existing automatic domain and
                        // allocates a new one: later IDs legitimately differ from the clean run. The
                        // device must then sit on a different HWPT than in the clean run.
                        if (result == expected)
                        {
                            run.Violation($"{where}: succeeded exactly as in the clean run although the attempt on the existing automatic domain failed");
                        }

                        run.Absorbed = true;
                        diverged = true;
                        continue;
                    }

                    run.Violation($"{where}: the injected failure was swallowed, the ioctl returned success ({result})");
                    diverged = true;
                    continue;
                }

                if (result.Errno != KernelErrnoOf(faults.Fired!.Value))
                {
                    run.Violation($"{where}: returned {result.Errno}, but the injected failure's errno is {KernelErrnoOf(faults.Fired!.Value)} and nothing on this path translates it");
                }

                if (before is not null)
                {
                    var after = Dump(session, session.Context!);
                    if (after != before)
                    {
                        run.Violation($"{where}: returned {result.Errno} but changed state:\n{Diff(before, after)}");
                    }
                }

                // The kernel's sequence returns -1 here. Otherwise go on without injection: the same step
                // must now give exactly what the clean run got, and so must everything after it.
                if (policy != FailurePolicy.RetryAndContinue)
                {
                    break;
                }

                faults.Disarm();
                if (!TryRun(step, run, where + " (retried without injection)", out var retried))
                {
                    break;
                }

                run.Results[i] = retried;
                CheckBetweenIoctls(session, run, where + " (retried)");
                if (retried != expected)
                {
                    run.Violation($"{where}: retried without injection it returned {retried}, the clean run got {expected} (the failure left a trace)");
                }

                if (retried.Errno != expected.Errno)
                {
                    break;
                }

                continue;
            }

            if (diverged ? result.Errno != expected.Errno : result != expected)
            {
                run.Violation($"{where}: returned {result}, the clean run got {expected}"
                    + (run.Fired is { } earlier ? $" (injection fired earlier, {earlier} in step #{run.FiredStep})" : " (nothing was injected in this step)"));
                if (result.Errno != expected.Errno)
                {
                    break;
                }
            }
        }

        faults.Disarm();
        run.Hits = faults.Hits.Count;
        if (nth is { } n && run.Fired is null && faults.Fired is not null)
        {
            run.Violation($"injection N={n} fired ({faults.Fired}) but no step saw it");
        }

        if (nth is { } m && run.Fired is null && clean is not null && m <= clean.Hits)
        {
            run.Violation($"N={m} did not fire although the clean run passes {clean.Hits} fault points (the sequence is not deterministic)");
        }

        CheckObservableState(session, run);
        Teardown(session, run);
        return run;
    }

    /// <summary>
    /// The errno the kernel's failing step produces and the ioctl passes up unchanged: pin_user_pages
    /// (and the fail_iommufd point on the pin path) EFAULT, reserved-region enforcement EINVAL, every
    /// allocation, ID reservation, accounting and page-table allocation in a domain map ENOMEM. (The
    /// xarray-based mock of older kernels failed its map with ENOENT; since the iommupt mock a map fails
    /// like any page table, ENOMEM.)
    /// </summary>
    public static Errno KernelErrnoOf(FaultPoint point) => point switch
    {
        FaultPoint.PinPages => Errno.EFAULT,
        FaultPoint.ReservedRegions => Errno.EINVAL,
        _ => Errno.ENOMEM,
    };

    private static bool TryRun(FailNthStep step, RunRecord run, string where, out StepResult result)
    {
        try
        {
            result = step.Run!();
            return true;
        }
        catch (Exception e)
        {
            run.Violation($"{where}: {e.GetType().Name} escaped: {e.Message}\n{e.StackTrace}");
            result = default;
            return false;
        }
    }

    private static int IndexOfEnable(IReadOnlyList<FailNthStep> steps)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].IsEnableMarker)
            {
                return i;
            }
        }

        throw new InvalidOperationException("the sequence has no fail_nth_enable() marker");
    }

    private static string Dump(FailNthSession session, IommufdContext context)
        => EngineInspection.Snapshot(session.Process, context, session.Buffer, FailNthSession.BufferSize);

    // Nothing half-built is visible between ioctls.
    private static void CheckBetweenIoctls(FailNthSession session, RunRecord run, string where)
    {
        if (session.Context is not { } context)
        {
            return;
        }

        try
        {
            var reserved = context.Objects.ReservedIds();
            if (reserved.Count != 0)
            {
                run.Violation($"{where}: reserved (unpublished) IDs left in the table: {string.Join(", ", reserved)}");
            }

            foreach (var selftest in context.Objects.Snapshot().OfType<Drivers.SelftestObject>())
            {
                if (selftest.MockDevice is { } device)
                {
                    run.MockDevices.Add(device);
                }
            }

            foreach (var problem in EngineInspection.IoasInvariantProblems(context)
                         .Concat(EngineInspection.RefcountProblems(context))
                         .Concat(EngineInspection.AttachmentProblems(context))
                         .Concat(EngineInspection.DomainMirrorProblems(context, translate: false)))
            {
                run.Violation($"{where}: {problem}");
            }
        }
        catch (Exception e)
        {
            run.Violation($"{where}: inspecting the state threw {e.GetType().Name}: {e.Message}");
        }
    }

    // At the end of the run, injection off: what user space can see agrees with the internal state.
    private static void CheckObservableState(FailNthSession session, RunRecord run)
    {
        if (session.Context is not { } context || session.Fd < 0)
        {
            return;
        }

        try
        {
            foreach (var problem in EngineInspection.DomainMirrorProblems(context, translate: true))
            {
                run.Violation($"end of run: {problem}");
            }

            var array = session.Scratch(64 * 16);
            foreach (var ioas in context.Objects.Snapshot().OfType<Ioas>())
            {
                uint count = 64;
                var ranges = session.File.IoasIovaRanges(new IoasId(ioas.RawId), array, ref count, out var alignment);
                var usable = ioas.Iopt.UsableRanges();
                if (ranges != Errno.None || count != usable.Count || alignment != ioas.Iopt.IovaAlignment)
                {
                    run.Violation($"end of run: IOVA_RANGES of {ioas} returned {ranges}, {count} ranges, alignment {alignment}; the io_pagetable has {usable.Count}, alignment {ioas.Iopt.IovaAlignment}");
                }

                foreach (var hwpt in ioas.Hwpts.ToList())
                {
                    foreach (var area in ioas.Iopt.Areas())
                    {
                        // dma-buf memory has no user address to compare with (DomainMirrorProblems checks it).
                        if (area.Pages is not { } pages || pages.Source is global::IommuContracts.Engine.IoPageTable.DmabufSource)
                        {
                            continue;
                        }

                        // File pages are the global memfd's: its shared mapping shows them.
                        var start = (pages.Source.IsFile ? session.MfdBuffer : 0) + pages.UserVa + area.PagesStartByte;
                        var payload = new IommuTestPayload { CheckMap = new TestCheckMap { Iova = area.Iova, Length = area.Length, Uptr = start } };
                        var check = session.File.TestCmd(IommuTestOp.MdCheckMap, new HwptId(hwpt.RawId), ref payload);
                        if (check != Errno.None)
                        {
                            run.Violation($"end of run: MD_CHECK_MAP of {area} in {hwpt} returned {check}");
                        }
                    }
                }
            }
        }
        catch (Exception e)
        {
            run.Violation($"end of run: {e.GetType().Name} escaped: {e.Message}\n{e.StackTrace}");
        }
    }

    // basic_fail_nth teardown: close the access fd (it holds the iommufd open), then teardown_iommufd.
    private static void Teardown(FailNthSession session, RunRecord run)
    {
        var process = session.Process;
        var faults = session.Kernel.Faults;

        // Release paths cannot fail in the kernel (destroy ops return void): arm at the very next fault
        // point, which close must never reach.
        faults.FailNth(1);
        try
        {
            // The fixture's teardown detaches a PASID the device sequence left attached.
            if (session.Pasid != 0 && session.StdevId.IsValid && session.PasidDetach(session.StdevId, session.Pasid) is { Errno: not Errno.None } detached)
            {
                run.Violation($"teardown: PASID_DETACH {session.Pasid} returned {detached}");
            }

            // The kernel's teardown closes the access fd first; the other order leaves the context alive
            // (the access holds the file) until the access fd goes, and its release frees everything.
            var order = run.Policy == FailurePolicy.StopAndCloseIommufdFirst
                ? new[] { (session.Fd, "iommufd"), (session.AccessFd, "access fd") }
                : new[] { (session.AccessFd, "access fd"), (session.Fd, "iommufd") };
            foreach (var (fd, what) in order.Append((session.DmabufFd, "dma-buf fd")))
            {
                if (fd >= 0 && process.Close(fd) is var closed && closed != Errno.None)
                {
                    run.Violation($"teardown: close({what}) returned {closed}");
                }
            }

            if (session.Dmabuf is { IsReleased: false })
            {
                run.Violation("teardown: the dma-buf is still held after every fd closed");
            }

            if (session.Context is { } context)
            {
                if (!context.Objects.IsEmpty)
                {
                    run.Violation($"teardown: {context.Objects.Count} objects left after close: {string.Join(", ", context.Objects.Snapshot())}");
                }

                if (context.GroupCount != 0)
                {
                    run.Violation($"teardown: {context.GroupCount} group states left after close");
                }
            }

            foreach (var device in run.MockDevices)
            {
                if (EngineInspection.ReleasedDeviceProblem(device) is { } problem)
                {
                    run.Violation($"teardown: mock device not handed back after close: {problem}");
                }
            }

            var pinned = new List<string>();
            for (ulong offset = 0; offset < FailNthSession.BufferSize; offset += FailNthSession.PageSize)
            {
                if (process.PinCount(session.Buffer + offset) is var pins && pins != 0)
                {
                    pinned.Add($"page {offset / FailNthSession.PageSize} x{pins}");
                }
            }

            for (ulong offset = 0; offset < FailNthSession.BufferSize; offset += FailNthSession.PageSize)
            {
                if (process.PinCount(session.MfdBuffer + offset) is var pins && pins != 0)
                {
                    pinned.Add($"memfd page {offset / FailNthSession.PageSize} x{pins}");
                }
            }

            if (pinned.Count != 0)
            {
                run.Violation($"teardown: buffer pages still pinned: {string.Join(", ", pinned.Take(8))}{(pinned.Count > 8 ? $" … ({pinned.Count})" : string.Empty)}");
            }

            var fresh = process.OpenIommufd();
            var payload = new IommuTestPayload { CheckRefs = new TestCheckRefs { Uptr = session.Buffer, Length = FailNthSession.BufferSize, Refs = 0 } };
            if (process.File(fresh).TestCmd(IommuTestOp.MdCheckRefs, ObjectId.None, ref payload) is var refs && refs != Errno.None)
            {
                run.Violation($"teardown: MD_CHECK_REFS(buffer, 0) on a fresh fd returned {refs}");
            }

            if (process.Close(fresh) is var closedFresh && closedFresh != Errno.None)
            {
                run.Violation($"teardown: close(fresh fd) returned {closedFresh}");
            }

            if (process.User.LockedPages != 0 || process.LockedPages != 0 || process.PinnedPages != 0)
            {
                run.Violation($"teardown: accounting not back to 0: user locked {process.User.LockedPages}, process locked {process.LockedPages}, pinned {process.PinnedPages}");
            }

            // The global memfd stays open, as the kernel test's does for the whole process.
            if (process.OpenFds.Any(fd => fd != session.Mfd))
            {
                run.Violation($"teardown: fds left open: {string.Join(", ", process.OpenFds.Where(fd => fd != session.Mfd))}");
            }
        }
        catch (Exception e)
        {
            run.Violation($"teardown: {e.GetType().Name} escaped: {e.Message}\n{e.StackTrace}");
        }

        if (faults.Fired is { } fired)
        {
            run.Violation($"teardown: closing the fds passed a fallible step ({fired}) and it was made to fail");
        }

        faults.Disarm();
        foreach (var warning in process.Kernel.Log.Warnings)
        {
            run.Violation($"kernel WARN: {warning}");
        }
    }

    private static string Diff(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        var text = new StringBuilder();
        foreach (var line in a.Except(b))
        {
            text.AppendLine($"    - {line}");
        }

        foreach (var line in b.Except(a))
        {
            text.AppendLine($"    + {line}");
        }

        return text.ToString().TrimEnd();
    }
}

/// <summary>What a run does after the step that got the injected failure.</summary>
internal enum FailurePolicy
{
    /// <summary>Return, as the kernel's sequence does: the teardown starts from the half-done sequence.</summary>
    Stop,

    /// <summary>Return, and tear down closing /dev/iommu before the access fd.</summary>
    StopAndCloseIommufdFirst,

    /// <summary>Re-run the failed step without injection and finish the sequence.</summary>
    RetryAndContinue,
}

/// <summary>One run of a sequence: what every step returned, where the injection fired, what went wrong.</summary>
internal sealed class RunRecord
{
    public RunRecord(int? nth, FailurePolicy policy)
    {
        Nth = nth;
        Policy = policy;
    }

    public int? Nth { get; }

    public FailurePolicy Policy { get; }

    public List<StepResult> Results { get; } = new();

    public FaultPoint? Fired { get; set; }

    public int FiredStep { get; set; } = -1;

    public string? FiredStepName { get; set; }

    /// <summary>The injection was absorbed the way the kernel absorbs it (see <see cref="FailNthStep.AutoDomainAttach"/>).</summary>
    public bool Absorbed { get; set; }

    /// <summary>Fault points passed while armed.</summary>
    public int Hits { get; set; }

    public List<string> Violations { get; } = new();

    /// <summary>Every mock device a selftest object of the run owned.</summary>
    public HashSet<Iommu.PciDevice> MockDevices { get; } = new();

    public void Violation(string message) => Violations.Add(message);
}

/// <summary>The outcome of a sweep: counts per fault point and per step, time, and every violation.</summary>
internal sealed class SweepReport
{
    private readonly List<string> _violations = new();
    private readonly SortedDictionary<string, int> _byPoint = new();
    private readonly Dictionary<string, int> _byStep = new();
    private readonly List<string> _stepOrder = new();
    private int _absorbed;

    public SweepReport(string sequence, ArmPoint arm)
    {
        Sequence = sequence;
        Arm = arm;
    }

    public string Sequence { get; }

    public ArmPoint Arm { get; }

    /// <summary>Fault points the clean run passed while armed.</summary>
    public int CleanHits { get; set; }

    /// <summary>Injection points swept (runs that fired).</summary>
    public int Swept { get; set; }

    public TimeSpan Elapsed { get; set; }

    public IReadOnlyList<string> Violations => _violations;

    public void Add(RunRecord run, bool count)
    {
        var label = run.Nth is { } n ? $"N={n}, {run.Policy}" : "clean run";
        if (run.Fired is { } fired)
        {
            label += $" ({fired} in step #{run.FiredStep} {run.FiredStepName})";
        }

        if (count && run.Fired is { } point)
        {
            _byPoint[point.ToString()] = _byPoint.GetValueOrDefault(point.ToString()) + 1;
            var step = $"#{run.FiredStep} {run.FiredStepName}";
            if (!_byStep.ContainsKey(step))
            {
                _stepOrder.Add(step);
            }

            _byStep[step] = _byStep.GetValueOrDefault(step) + 1;
        }

        if (count && run.Absorbed)
        {
            _absorbed++;
        }

        foreach (var violation in run.Violations)
        {
            _violations.Add($"[{Sequence}/{Arm}] {label}: {violation}");
        }
    }

    public void Violation(string message) => _violations.Add($"[{Sequence}/{Arm}] {message}");

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"fail-nth {Sequence} ({Arm}): {Swept} injection points swept ({CleanHits} in the clean run), {Elapsed.TotalMilliseconds:F0} ms, {_violations.Count} violations");
        text.AppendLine($"  by fault point: {string.Join(", ", _byPoint.Select(p => $"{p.Key} {p.Value}"))}");
        text.AppendLine($"  by step: {string.Join(", ", _stepOrder.Select(s => $"{s}: {_byStep[s]}"))}");
        if (_absorbed != 0)
        {
            text.AppendLine($"  absorbed as in the kernel (EINVAL from an existing automatic domain, new domain allocated): {_absorbed}");
        }

        return text.ToString();
    }
}
