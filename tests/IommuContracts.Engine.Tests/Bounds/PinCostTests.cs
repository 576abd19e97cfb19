using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;
using Xunit.Abstractions;

namespace IommuContracts.Engine.Tests.Bounds;

/// <summary>
/// Issue 11, E1: pinning walks the range and stops at the first page it cannot pin (EFAULT) or charge (ENOMEM),
/// as the kernel's pfn_reader does, so a huge length costs what is actually there. Before the fix every page
/// index of the range was listed first: a 2^36-byte MAP with a domain cost 384 MiB, and the attach after a
/// 2^45-byte MAP threw OutOfMemoryException out of VFIO_DEVICE_ATTACH_IOMMUFD_PT.
/// </summary>
public class PinCostTests
{
    private const ulong Page = SimulatedProcess.PageSize;
    private const ulong Iova = 0x4000_0000;
    private const long PinBatch = 512;

    private readonly ITestOutputHelper _output;

    public PinCostTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(36)]
    [InlineData(38)]
    public void Map_of_a_huge_length_with_a_domain_attached_is_EFAULT_at_the_cost_of_the_one_page_there(int log2Length)
    {
        var rig = new VfioRig();
        var ioas = rig.Host.AllocIoas();
        Assert.Equal(Errno.None, rig.Attach(ioas));
        var onePage = rig.Host.Buffer(Page);

        var result = Errno.None;
        var cost = CallCost.Of(() => result = rig.Host.Map(ioas, onePage, 1UL << log2Length, Iova));

        Assert.Equal(Errno.EFAULT, result);
        _output.WriteLine($"cost: {cost}");
        cost.AssertWithin(pagesTouched: 2, $"IOAS_MAP of 2^{log2Length} bytes");
        Assert.Equal(0, rig.Host.IoasObject(ioas).Iopt.AreaCount);
        Assert.Equal(0, rig.Host.Process.PinCount(onePage));
        Assert.Equal(0, rig.Host.Process.PinnedPages);
        rig.Host.AssertNoWarnings();
    }

    [Fact]
    public void Map_of_a_huge_mmapped_range_stops_at_RLIMIT_MEMLOCK_with_ENOMEM()
    {
        // An unprivileged process: RLIMIT_MEMLOCK is 8 MiB (2048 pages); the range is 16 GiB of untouched memory.
        var rig = new VfioRig();
        var process = rig.Host.Process;
        process.Capabilities = Capabilities.None;
        process.MemlockLimit = 8UL << 20;
        var ioas = rig.Host.AllocIoas();
        Assert.Equal(Errno.None, rig.Attach(ioas));
        const ulong length = 16UL << 30;
        var buffer = process.Mmap(length);

        var result = Errno.None;
        var cost = CallCost.Of(() => result = rig.Host.Map(ioas, buffer, length, Iova));

        Assert.Equal(Errno.ENOMEM, result);
        var limitPages = (long)(process.MemlockLimit / Page);

        // One pin batch may be pinned past the limit before its charge fails.
        _output.WriteLine($"cost: {cost}");
        cost.AssertWithin(limitPages + PinBatch, "IOAS_MAP of 16 GiB over an 8 MiB RLIMIT_MEMLOCK");
        Assert.Equal(0, process.PinnedPages);
        Assert.Equal(0, process.User.LockedPages);
        Assert.Equal(0, rig.Host.IoasObject(ioas).Iopt.AreaCount);
        rig.Host.AssertNoWarnings();
    }

    [Fact]
    public void Map_of_a_huge_mmapped_range_without_RLIMIT_MEMLOCK_stops_with_ENOMEM_where_memory_ends()
    {
        // Found by the fuzzer (fuzz/regressions/hang-root-maps-256-GiB-untouched): root (CAP_IPC_LOCK, nothing is
        // charged) mapped 256 GiB of untouched memory with a domain attached and the engine pinned it all.
        var rig = new VfioRig();
        rig.Host.Kernel.MemoryBytes = 64UL << 20;
        var ioas = rig.Host.AllocIoas();
        Assert.Equal(Errno.None, rig.Attach(ioas));
        const ulong length = 1UL << 38;
        var buffer = rig.Host.Process.Mmap(length);

        var result = Errno.None;
        var cost = CallCost.Of(() => result = rig.Host.Map(ioas, buffer, length, Iova));
        _output.WriteLine($"cost: {cost}");

        Assert.Equal(Errno.ENOMEM, result);
        cost.AssertWithin((64L << 20) / (long)Page, "IOAS_MAP of 256 GiB on a 64 MiB machine");
        Assert.Equal(0, rig.Host.Process.PinnedPages);
        Assert.Equal(0, rig.Host.IoasObject(ioas).Iopt.AreaCount);
        rig.Host.AssertNoWarnings();

        // The memory comes back with the mapping: a page can be touched again.
        Assert.Equal(Errno.None, rig.Host.Process.Munmap(buffer, length));
        Assert.Equal(Errno.None, rig.Host.Process.Write(rig.Host.Process.Mmap(Page), new byte[] { 1 }));
    }

    [Fact]
    public void Attach_after_a_huge_lazy_map_fails_EFAULT_and_the_device_fd_still_closes_cleanly()
    {
        var rig = new VfioRig();
        var host = rig.Host;
        var ioas = host.AllocIoas();

        // No domain yet: the kernel pins lazily, so a 2^45-byte MAP of a one-page buffer is accepted.
        var onePage = host.Buffer(Page, fill: 0x5A);
        Assert.Equal(Errno.None, host.Map(ioas, onePage, 1UL << 45, Iova));

        var result = Errno.None;
        var cost = CallCost.Of(() => result = rig.Attach(ioas));

        Assert.Equal(Errno.EFAULT, result);
        _output.WriteLine($"cost: {cost}");
        cost.AssertWithin(pagesTouched: 2, "VFIO_DEVICE_ATTACH_IOMMUFD_PT after a 2^45-byte MAP");
        Assert.Empty(host.IoasObject(ioas).Hwpts);
        Assert.Equal(0, host.Process.PinCount(onePage));
        host.AssertNoWarnings();

        // The failed attach left nothing behind: the device fd closes (detach is not needed, unbind works).
        Assert.Equal(Errno.None, host.Process.Close(rig.Fd));
        Assert.False(rig.Device.IsBoundToIommufd);
        Assert.Equal(Errno.None, host.Unmap(ioas, 0, ulong.MaxValue, out var unmapped));
        Assert.Equal(1UL << 45, unmapped);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        Assert.Equal(0, host.Process.PinnedPages);
        host.AssertNoWarnings();
    }
}
