namespace IommuContracts.Engine.Tests.FailNth;

/// <summary>What one step of a sequence returned: its errno and a text of its outputs (IDs, IOVAs, data).</summary>
internal readonly record struct StepResult(Errno Errno, string Outputs = "")
{
    public override string ToString() => Outputs.Length == 0 ? Errno.ToString() : $"{Errno} ({Outputs})";
}

/// <summary>
/// One ioctl (or close) of a fail-nth sequence. <see cref="Expected"/> is what it returns without
/// injection: <see cref="Errno.None"/> for every step the kernel's sequence needs to succeed, an errno
/// for a step that fails on purpose (the kernel's ignored second UNMAP, ioctls this engine does not model).
/// </summary>
internal sealed class FailNthStep
{
    private FailNthStep(string name, Func<StepResult>? run, Errno expected, string? expectedBecause, bool autoDomainAttach)
    {
        Name = name;
        Run = run;
        Expected = expected;
        ExpectedBecause = expectedBecause;
        AutoDomainAttach = autoDomainAttach;
    }

    public string Name { get; }

    /// <summary>The step; null for the fail_nth_enable() marker.</summary>
    public Func<StepResult>? Run { get; }

    public Errno Expected { get; }

    /// <summary>Why a step is expected to fail without injection.</summary>
    public string? ExpectedBecause { get; }

    /// <summary>
    /// The step attaches a device to an IOAS that already has an automatic domain. The kernel's
    /// iommufd_device_auto_get_domain treats EINVAL from an attempt on an existing automatic domain as
    /// "incompatible" and goes on to allocate a new one, so an injected reserved-region failure (EINVAL)
    /// there is absorbed and the ioctl succeeds on a fresh domain, in the kernel as in the engine.
    /// </summary>
    public bool AutoDomainAttach { get; }

    public bool IsEnableMarker => Run is null;

    /// <summary>fail_nth_enable(): where the kernel's sequence starts injecting.</summary>
    public static FailNthStep EnableInjection { get; } = new("fail_nth_enable()", null, Errno.None, null, false);

    public static FailNthStep Ok(string name, Func<StepResult> run) => new(name, run, Errno.None, null, false);

    public static FailNthStep Attach(string name, Func<StepResult> run) => new(name, run, Errno.None, null, true);

    public static FailNthStep Fails(string name, Errno expected, string because, Func<StepResult> run) => new(name, run, expected, because, false);

    public override string ToString() => Name;
}

/// <summary>A kernel fail-nth sequence: a fresh list of steps (closures over one session's state) per run.</summary>
internal sealed record FailNthSequence(string Name, Func<FailNthSession, IReadOnlyList<FailNthStep>> Build)
{
    public override string ToString() => Name;
}

/// <summary>Where injection starts.</summary>
public enum ArmPoint
{
    /// <summary>At the sequence's fail_nth_enable(), as the kernel test does (setup steps run clean).</summary>
    KernelEnablePoint,

    /// <summary>Before the first step: the setup steps are swept too.</summary>
    SequenceStart,
}
