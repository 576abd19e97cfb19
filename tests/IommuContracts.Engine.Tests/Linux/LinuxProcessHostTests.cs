using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Engine.Tests.Support.Hosts;

namespace IommuContracts.Engine.Tests.Linux;

/// <summary>
/// The real-process host's memory behaves as the simulated process's does, which the differential replay relies
/// on: aligned mappings with an inaccessible guard page after them, munmap that faults afterwards without the
/// addresses coming back, and nothing left mapped after dispose. Runs on any Linux; no /dev/iommu needed.
/// </summary>
public class LinuxProcessHostTests
{
    [LinuxFact]
    public void Mappings_are_aligned_zeroed_and_end_in_a_guard_page()
    {
        using var host = new LinuxProcessHost();
        var address = host.Mmap(3 * SimulatedProcess.PageSize, MemoryProtection.ReadWrite, MmapFlags.None, 2UL << 20);

        Assert.Equal(0UL, address % (2UL << 20));
        var bytes = new byte[3 * SimulatedProcess.PageSize];
        Assert.Equal(Errno.None, host.Read(address, bytes));
        Assert.All(bytes, b => Assert.Equal(0, b));
        Assert.Equal(Errno.None, host.Write(address + (3 * SimulatedProcess.PageSize) - 1, [7]));
        Assert.Equal(Errno.EFAULT, host.Write(address + (3 * SimulatedProcess.PageSize), [7]));
        Assert.Equal(Errno.EFAULT, host.Read(address + (3 * SimulatedProcess.PageSize) - 1, new byte[2]));
    }

    [LinuxFact]
    public void Munmapped_memory_faults_and_its_addresses_are_not_handed_out_again()
    {
        using var host = new LinuxProcessHost { MinimumMmapAlignment = 2UL << 20 };
        var first = host.Mmap(4 * SimulatedProcess.PageSize);

        Assert.Equal(Errno.None, host.Munmap(first + SimulatedProcess.PageSize, 2 * SimulatedProcess.PageSize));

        Assert.Equal(Errno.EFAULT, host.Read(first + SimulatedProcess.PageSize, new byte[1]));
        Assert.Equal(Errno.None, host.Read(first, new byte[1]));
        Assert.Equal(Errno.None, host.Read(first + (3 * SimulatedProcess.PageSize), new byte[1]));
        for (var i = 0; i < 16; i++)
        {
            var next = host.Mmap(2 * SimulatedProcess.PageSize);
            Assert.False(next + (2 * SimulatedProcess.PageSize) > first && next < first + (4 * SimulatedProcess.PageSize), $"0x{next:X} reuses the munmapped range");
            Assert.Equal(0UL, next % (2UL << 20));
        }
    }

    [LinuxFact]
    public void Dispose_unmaps_everything_and_fds_it_does_not_own_are_not_closed()
    {
        ulong address;
        var marker = Guid.NewGuid().ToByteArray();
        using (var host = new LinuxProcessHost())
        {
            address = host.Mmap(SimulatedProcess.PageSize);
            Assert.Equal(Errno.None, host.Write(address, marker));
            Assert.Equal(Errno.EBADF, host.Close(0));
        }

        // The mapping is gone: reading it faults, or, if the process (another test running in parallel, the runtime)
        // has mapped the freed addresses again meanwhile, finds fresh memory without the marker. Only a mapping that
        // survived Dispose still holds it.
        using var other = new LinuxProcessHost();
        var after = new byte[marker.Length];
        var read = other.Read(address, after);
        Assert.True(read == Errno.EFAULT || (read == Errno.None && !after.AsSpan().SequenceEqual(marker)),
            $"after Dispose, reading 0x{address:X} gave {read} and the marker was {(after.AsSpan().SequenceEqual(marker) ? "still there" : "gone")}");
    }

    [LinuxFact]
    public void A_missing_node_is_an_errno_from_open()
    {
        using var host = new LinuxProcessHost("/dev/iommu-" + Guid.NewGuid().ToString("N"));

        SyscallAssert.Fails(Errno.ENOENT, host.OpenIommufd());
        Assert.Throws<SimulatedOnlyException>(() => host.RequireSimulated("the kernel log"));
    }
}
