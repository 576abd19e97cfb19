using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.IoPageTable;

// IOAS_CHANGE_PROCESS: the charge for pinned file pages moves to another process.
internal sealed partial class IoPages
{
    /// <summary>need_charge_update: whether <paramref name="to"/> would be charged differently from the current owner.</summary>
    public bool NeedsChargeMove(SimulatedProcess to) => AccountMode switch
    {
        AccountMode.Mm => !ReferenceEquals(Process, to),

        // USER mode charges the user's locked_vm and the process's pinned_vm.
        AccountMode.User => !ReferenceEquals(Process.User, to.User) || !ReferenceEquals(Process, to),
        _ => false,
    };

    /// <summary>Charges <paramref name="pages"/> pinned pages in <paramref name="mode"/> to <paramref name="process"/>; ENOMEM past RLIMIT_MEMLOCK.</summary>
    public static Errno ChargeTo(SimulatedProcess process, AccountMode mode, long pages)
    {
        var limit = (long)(process.MemlockLimit / SimulatedProcess.PageSize);
        switch (mode)
        {
            case AccountMode.User when !TryCharge(ref process.User.LockedPagesCounter, pages, limit):
            case AccountMode.Mm when !TryCharge(ref process.LockedPagesCounter, pages, limit):
                return Errno.ENOMEM;
        }

        Interlocked.Add(ref process.PinnedPagesCounter, pages);
        return Errno.None;
    }

    /// <summary>Gives back a charge made by <see cref="ChargeTo"/>.</summary>
    public static void UnchargeFrom(SimulatedProcess process, AccountMode mode, long pages)
    {
        switch (mode)
        {
            case AccountMode.User:
                Interlocked.Add(ref process.User.LockedPagesCounter, -pages);
                break;
            case AccountMode.Mm:
                Interlocked.Add(ref process.LockedPagesCounter, -pages);
                break;
        }

        Interlocked.Add(ref process.PinnedPagesCounter, -pages);
    }

    /// <summary>change_mm: the current owner is uncharged and <paramref name="to"/> (already charged) becomes the owner.</summary>
    public void MoveChargeTo(SimulatedProcess to)
    {
        lock (_lock)
        {
            Uncharge(PinnedPages);
            Process = to;
        }
    }

    /// <summary>Pinned pages right now, read under the pages lock (the caller holds the io_pagetable locks).</summary>
    public long PinnedPagesLocked()
    {
        lock (_lock)
        {
            return PinnedPages;
        }
    }
}
