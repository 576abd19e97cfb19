using IommuContracts.Contracts;
using IommuContracts.Engine.Host;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// IOMMU_TEST_CMD: the selftest kernel's test ioctl. Ops that need devices live in the mock driver.
internal sealed partial class IommufdContext
{
    /// <summary>The selftests' temporary memory limit (internal batch buffers); recorded, batches are not simulated.</summary>
    public uint TempMemoryLimit { get; private set; } = 65536;

    [IoctlHandler(typeof(IommuTestCmd))]
    private Errno TestCmd(ref IommuTestCmd cmd, ref IoctlCall call) => cmd.Op switch
    {
        // An op newer than the profile's kernel falls to iommufd_test's default.
        var op when Profiles.KernelFeatures.TestOpFeature(op) is { } feature && !Kernel.Profile.Supports(feature) => Errno.EOPNOTSUPP,
        IommuTestOp.AddReserved => TestAddReserved(ref cmd),
        IommuTestOp.MdCheckRefs => TestCheckRefs(ref cmd, Caller(ref call)),
        IommuTestOp.SetTempMemoryLimit => TestSetTempMemoryLimit(ref cmd),
        _ => MockDriverTestCmd(ref cmd, ref call),
    };

    private Errno TestAddReserved(ref IommuTestCmd cmd)
    {
        // An empty range is EINVAL and a wrapping one EOVERFLOW, both before the IOAS lookup (the syzbot fix of
        // Dec 2025, also in 6.12.118).
        var reserve = cmd.Payload.AddReserved;
        if (reserve.Length == 0)
        {
            return Errno.EINVAL;
        }

        if (!IoPageTable.Overflow.TryLast(reserve.Start, reserve.Length, out var last))
        {
            return Errno.EOVERFLOW;
        }

        var found = Objects.Get(IoasId.FromObjectId(cmd.Id), out Ioas? ioas);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            return ioas!.Iopt.ReserveIova(reserve.Start, last, IoPageTable.IoPageTable.NoOwner);
        }
        finally
        {
            Objects.Put(ioas!);
        }
    }

    // MD_CHECK_REFS: every non-compound page of the range is pinned exactly refs times (EIO otherwise).
    private static Errno TestCheckRefs(ref IommuTestCmd cmd, SimulatedProcess caller)
    {
        var check = cmd.Payload.CheckRefs;
        if (check.Length % SimulatedProcess.PageSize != 0 || check.Uptr % SimulatedProcess.PageSize != 0
            || !IoPageTable.Overflow.TryAdd(check.Uptr, check.Length, out _))
        {
            return Errno.EINVAL;
        }

        Span<UserPage> page = new UserPage[1];
        for (ulong offset = 0; offset < check.Length; offset += SimulatedProcess.PageSize)
        {
            var got = caller.GetUserPages(check.Uptr + offset, 1, write: false, page);
            if (got != Errno.None)
            {
                return got;
            }

            if (!page[0].IsCompound && page[0].PinCount != check.Refs)
            {
                return Errno.EIO;
            }
        }

        return Errno.None;
    }

    private Errno TestSetTempMemoryLimit(ref IommuTestCmd cmd)
    {
        var limit = cmd.Payload.MemoryLimit.Limit;
        if (limit < 12)
        {
            return Errno.EINVAL;
        }

        TempMemoryLimit = limit;
        return Errno.None;
    }
}
