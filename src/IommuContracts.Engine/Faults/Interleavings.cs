using System.Collections.Concurrent;

namespace IommuContracts.Engine.Faults;

/// <summary>
/// Test-only interleaving hooks: an armed point runs its handler once, on the thread that reaches it and with
/// whatever that thread holds, the way <see cref="Host.SimulatedProcess.ArmUserFault"/> stalls an ioctl inside
/// a user copy. The handler starts the racing call on another thread and returns once that call finished or
/// is waiting, so a race that needs a lucky schedule runs the same way every time. Several points may be armed
/// at once (a race whose two sides each have to stop at the right place). Disarmed, a point costs a volatile read.
/// </summary>
internal sealed class Interleavings
{
    private readonly ConcurrentDictionary<InterleavingPoint, Action> _armed = new();
    private int _armedCount;

    /// <summary>The next thread to reach <paramref name="point"/> runs <paramref name="handler"/> first (once).</summary>
    public void Arm(InterleavingPoint point, Action handler)
    {
        if (!_armed.TryAdd(point, handler))
        {
            throw new InvalidOperationException($"{point} is armed already");
        }

        Interlocked.Increment(ref _armedCount);
    }

    /// <summary>Called by the engine at <paramref name="point"/>.</summary>
    public void Reach(InterleavingPoint point)
    {
        if (Volatile.Read(ref _armedCount) != 0 && _armed.TryRemove(point, out var handler))
        {
            Interlocked.Decrement(ref _armedCount);
            handler();
        }
    }
}
