using IommuContracts.Engine.Core;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;

namespace IommuContracts.Fuzz;

/// <summary>
/// What the engine promises user space, checked after every call of a fuzz program: nothing throws, the result
/// is 0 / 1, a new fd, or an errno this ABI answers, no WARN is logged, no object ID stays reserved, every io_pagetable
/// keeps its invariants, and the call allocated no more than a fixed allowance per page it actually touched
/// (<see cref="PhysicalMemory.PagesTouched"/>). At the end, with every fd closed, nothing may remain.
/// </summary>
internal sealed class EngineChecks
{
    /// <summary>Allowance of any call (table slots, page-table nodes, a pin chunk).</summary>
    public const long FixedBytes = 1L << 20;

    /// <summary>Allowance per page touched.</summary>
    public const long BytesPerPage = 16L << 10;

    private static readonly HashSet<Errno> Allowed =
    [
        Errno.EPERM, Errno.ENOENT, Errno.EIO, Errno.E2BIG, Errno.EBADF, Errno.ENOMEM, Errno.EFAULT, Errno.EBUSY,
        Errno.EEXIST, Errno.ENODEV, Errno.EINVAL, Errno.ENOTTY, Errno.ENOSPC, Errno.EOVERFLOW, Errno.EBADFD,
        Errno.EMSGSIZE, Errno.EOPNOTSUPP, Errno.EADDRINUSE, Errno.EBADE,
    ];

    /// <summary>IOMMU_FUZZ_TRACE=1 prints every call with its result and cost (to read a reproducer).</summary>
    private static readonly bool Trace = Environment.GetEnvironmentVariable("IOMMU_FUZZ_TRACE") == "1";

    private readonly SimulatedProcess _process;
    private readonly IReadOnlyList<PciDevice> _devices;
    private readonly List<IommufdContext> _contexts = new();
    private readonly List<string> _recent = new();

    public EngineChecks(SimulatedProcess process, IReadOnlyList<PciDevice> devices)
    {
        _process = process;
        _devices = devices;
    }

    /// <summary>Watches the context behind a freshly opened /dev/iommu fd until the end.</summary>
    public void Track(int fd)
    {
        if (_process.TryGetFile(fd, out var file))
        {
            if (file is IommufdFile iommufd)
            {
                _contexts.Add(iommufd.Context);
            }

            file.Put();
        }
    }

    /// <summary>Runs one call and checks its result, its cost and the state it left.</summary>
    public int Call(string what, Func<int> call, bool touchesMany = false)
    {
        var openBefore = _process.OpenFds;
        var touchedBefore = _process.Kernel.PagesTouched;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var result = call();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var touched = _process.Kernel.PagesTouched - touchedBefore;
        Remember($"{what} = {Format(result)} ({allocated:N0} bytes, {touched} pages)");

        // A call that makes a file answers with its new fd (the selftest's DMABUF_GET does, as an ioctl result).
        var newFd = result > 1 && !openBefore.Contains(result) && _process.OpenFds.Contains(result);
        if (result < -4095 || (result < 0 && !Allowed.Contains((Errno)(-result))) || (result > 1 && !newFd))
        {
            Fail($"{what} returned {Format(result)}, not an answer of this ABI");
        }

        // Closing a file tears down what earlier calls built: its allowance is not per call.
        if (!touchesMany && allocated > FixedBytes + (BytesPerPage * touched))
        {
            Fail($"{what} allocated {allocated:N0} bytes for {touched} pages touched");
        }

        CheckQuiescent();
        return result;
    }

    /// <summary>With every fd closed: no object in any context, no pin, no charge, every device back with the kernel.</summary>
    public void AllReleased()
    {
        foreach (var context in _contexts)
        {
            if (context.Objects.Count != 0)
            {
                Fail($"after close: {context.Objects.Count} objects left: {string.Join(", ", context.Objects.Snapshot())}");
            }
        }

        if (_process.PinnedPages != 0 || _process.LockedPages != 0 || _process.User.LockedPages != 0)
        {
            Fail($"after close: pinned {_process.PinnedPages}, locked {_process.LockedPages}, user locked {_process.User.LockedPages}");
        }

        foreach (var device in _devices)
        {
            if (device.IsBoundToIommufd || device.Group.OwnerCount != 0 || !ReferenceEquals(device.Group.Domain, GroupDomain.DmaApi))
            {
                Fail($"after close: {device.Address} bound {device.IsBoundToIommufd}, DMA owners {device.Group.OwnerCount}, DMA {device.Group.Domain}");
            }
        }

        CheckWarnings();
    }

    private void CheckQuiescent()
    {
        CheckWarnings();
        foreach (var context in _contexts)
        {
            var reserved = context.Objects.ReservedIds();
            if (reserved.Count != 0)
            {
                Fail($"IDs left reserved: {string.Join(", ", reserved)}");
            }

            foreach (var ioas in context.Objects.Snapshot().OfType<Ioas>())
            {
                var problems = ioas.Iopt.CheckInvariants();
                if (problems.Count != 0)
                {
                    Fail($"{ioas}: {string.Join(" | ", problems)}");
                }
            }
        }
    }

    private void CheckWarnings()
    {
        if (_process.Kernel.Log.Warnings.Count != 0)
        {
            Fail("kernel WARN: " + string.Join(" | ", _process.Kernel.Log.Warnings));
        }
    }

    private void Fail(string message) => throw new FuzzFindingException(message + "\nlast calls:\n  " + string.Join("\n  ", _recent));

    private void Remember(string line)
    {
        if (Trace)
        {
            Console.Error.WriteLine(line);
        }

        _recent.Add(line);
        if (_recent.Count > 16)
        {
            _recent.RemoveAt(0);
        }
    }

    private static string Format(int result) => result < 0 ? $"-{(Errno)(-result)}" : result.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
