using IommuContracts.Contracts;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.IoPageTable;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// IOAS_MAP_FILE and IOAS_CHANGE_PROCESS: mappings of a file range, pinned by file page, whose pin charge can
// move to another process.
internal sealed partial class IommufdContext
{
    [IoctlHandler(typeof(IommuIoasMapFile))]
    private Errno IoasMapFile(ref IommuIoasMapFile map, ref IoctlCall call)
    {
        var checkedArguments = CheckMapArguments(map.Iova, map.Length, map.Flags);
        if (checkedArguments != Errno.None)
        {
            return checkedArguments;
        }

        var found = Objects.Get(map.IoasId, out Ioas? ioas);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            // iopt_map_file_pages: the range is checked before the fd is looked up.
            if (map.Length == 0)
            {
                return Errno.EINVAL;
            }

            if (!IoPageTable.Overflow.TryLast(map.Start, map.Length, out _))
            {
                return Errno.EOVERFLOW;
            }

            var caller = Caller(ref call);
            if (!caller.TryGetFile(map.Fd, out var file))
            {
                return Errno.EBADF;
            }

            try
            {
                var iova = map.Iova;
                var allocate = (map.Flags & IommuIoasMapFlags.FixedIova) == 0;
                var result = ioas!.Iopt.MapFilePages(caller, file, map.Start, map.Length, ref iova, ProtOf(map.Flags), allocate, AccountMode);
                if (result == Errno.None)
                {
                    map.Iova = iova;
                }

                return result;
            }
            finally
            {
                file.Put();
            }
        }
        finally
        {
            Objects.Put(ioas!);
        }
    }

    /// <summary>
    /// IOAS_CHANGE_PROCESS: the pin charge of every mapping of every IOAS moves to the calling process. EINVAL
    /// if any mapping is not of a file (those are tied to the address space they came from); ENOMEM if the
    /// caller cannot be charged. All or nothing: the caller is charged for everything before anyone is uncharged.
    /// </summary>
    [IoctlHandler(typeof(IommuIoasChangeProcess))]
    private Errno IoasChangeProcess(ref IommuIoasChangeProcess request, ref IoctlCall call)
    {
        var caller = Caller(ref call);

        // The list of IOAS the kernel builds (xa_store) can fail to allocate.
        var listed = Kernel.Faults.Hit(Faults.FaultPoint.Allocation);
        if (listed != Errno.None)
        {
            return listed;
        }

        var ioases = new List<Ioas>();
        foreach (var candidate in Objects.Snapshot().OfType<Ioas>())
        {
            if (Objects.TryLock(candidate))
            {
                ioases.Add(candidate);
            }
        }

        var locked = new List<object>();
        try
        {
            // iommufd_take_all_iova_rwsem: every IOAS's io_pagetable, in ID order.
            foreach (var ioas in ioases)
            {
                Monitor.Enter(ioas.Iopt.Lock);
                locked.Add(ioas.Iopt.Lock);
            }

            var all = ioases.SelectMany(i => i.Iopt.PagesOfAreasLocked()).ToList();
            if (all.Any(pages => !pages.Source.IsFile))
            {
                return Errno.EINVAL;
            }

            // A pages object shared by several areas (COPY) is charged once.
            var moving = all.Distinct().Where(pages => pages.NeedsChargeMove(caller)).ToList();
            var charges = moving.GroupBy(pages => pages.AccountMode)
                .Select(group => (Mode: group.Key, Pages: group.Sum(pages => pages.PinnedPagesLocked())))
                .Where(charge => charge.Pages != 0)
                .ToList();
            var charged = new List<(AccountMode Mode, long Pages)>();
            foreach (var charge in charges)
            {
                var result = IoPages.ChargeTo(caller, charge.Mode, charge.Pages);

                if (result != Errno.None)
                {
                    charged.ForEach(done => IoPages.UnchargeFrom(caller, done.Mode, done.Pages));
                    return result;
                }

                charged.Add(charge);
            }

            foreach (var pages in moving)
            {
                pages.MoveChargeTo(caller);
            }

            return Errno.None;
        }
        finally
        {
            for (var i = locked.Count - 1; i >= 0; i--)
            {
                Monitor.Exit(locked[i]);
            }

            ioases.ForEach(ioas => Objects.Put(ioas));
        }
    }
}
