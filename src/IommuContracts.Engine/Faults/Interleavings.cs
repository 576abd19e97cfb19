namespace IommuContracts.Engine.Faults;

/// <summary>
/// Test-only interleaving hooks: an armed point runs its handler once, on the thread that reaches it and with
/// whatever that thread holds, the way <see cref="Host.SimulatedProcess.ArmUserFault"/> stalls an ioctl inside
/// a user copy. The handler starts the racing call on another thread and returns once that call finished or
/// is waiting, so a race that needs a lucky schedule runs the same way every time. Disarmed, a point costs a
/// volatile read.
/// </summary>
internal sealed class Interleavings
{
    private Armed? _armed;

    /// <summary>The next thread to reach <paramref name="point"/> runs <paramref name="handler"/> first (once).</summary>
    public void Arm(InterleavingPoint point, Action handler) => Volatile.Write(ref _armed, new Armed(point, handler));

    /// <summary>Called by the engine at <paramref name="point"/>.</summary>
    public void Reach(InterleavingPoint point)
    {
        if (Volatile.Read(ref _armed) is { } armed && armed.Point == point
            && Interlocked.CompareExchange(ref _armed, null, armed) == armed)
        {
            armed.Handler();
        }
    }

    private sealed record Armed(InterleavingPoint Point, Action Handler);
}
