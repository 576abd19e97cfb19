namespace IommuContracts.Engine.Faults;

/// <summary>
/// fail-nth for the simulated kernel: when armed with N, the N-th fallible step hit from then on fails
/// with that step's errno (once). Every fallible step calls <see cref="Hit"/>; a test sweeps N = 1, 2, …
/// until a run completes without the injection firing.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _lock = new();
    private int _remaining;
    private readonly List<FaultPoint> _hits = new();

    /// <summary>Arms the injector: the <paramref name="nth"/> hit from now (1-based) fails.</summary>
    public void FailNth(int nth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nth, 1);
        lock (_lock)
        {
            _remaining = nth;
            Fired = null;
            _hits.Clear();
        }
    }

    /// <summary>Stops injecting: no later hit fails. <see cref="Fired"/> keeps the point that already failed, if any.</summary>
    public void Disarm()
    {
        lock (_lock)
        {
            _remaining = 0;
        }
    }

    /// <summary>The fault point that failed since the last arming, if one did.</summary>
    public FaultPoint? Fired { get; private set; }

    /// <summary>Every fault point hit since the last arming, in order.</summary>
    public IReadOnlyList<FaultPoint> Hits
    {
        get
        {
            lock (_lock)
            {
                return _hits.ToArray();
            }
        }
    }

    /// <summary>Called by a fallible step: returns the errno to fail with, or <see cref="Errno.None"/>.</summary>
    internal Errno Hit(FaultPoint point)
    {
        // Disarmed is the common case (every page of a map passes here): answer it without the lock.
        if (Volatile.Read(ref _remaining) == 0)
        {
            return Errno.None;
        }

        lock (_lock)
        {
            if (_remaining == 0)
            {
                return Errno.None;
            }

            _hits.Add(point);
            if (--_remaining != 0)
            {
                return Errno.None;
            }

            Fired = point;
            return ErrnoOf(point);
        }
    }

    private static Errno ErrnoOf(FaultPoint point) => point switch
    {
        FaultPoint.PinPages => Errno.EFAULT,
        FaultPoint.ReservedRegions => Errno.EINVAL,
        _ => Errno.ENOMEM,
    };
}
