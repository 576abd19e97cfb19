using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// IOMMU_IOAS_MAP_FILE and IOAS_CHANGE_PROCESS beyond the selftests: the argument checks in the kernel's
/// order, pins that belong to the file and not to the process's mappings, and the all-or-nothing charge move.
/// </summary>
public sealed class MapFileTests : IommufdIoasFixture
{
    private const IommuIoasMapFlags ReadWrite = IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable;

    [Fact]
    public void Arguments_are_checked_in_the_kernels_order_and_leave_nothing_behind()
    {
        ulong iova = 0;
        Assert.Equal(Errno.EOVERFLOW, File.IoasMapFile(ReadWrite, Ioas, Mfd, 0, ulong.MaxValue, ref iova));
        iova = ulong.MaxValue;
        Assert.Equal(Errno.EOVERFLOW, File.IoasMapFile(ReadWrite | IommuIoasMapFlags.FixedIova, Ioas, Mfd, 0, PageSize, ref iova));
        iova = 0;
        Assert.Equal(Errno.EINVAL, File.IoasMapFile(IommuIoasMapFlags.None, Ioas, Mfd, 0, PageSize, ref iova));
        Assert.Equal(Errno.EOPNOTSUPP, File.IoasMapFile((IommuIoasMapFlags)8 | ReadWrite, Ioas, Mfd, 0, PageSize, ref iova));
        Assert.Equal(Errno.ENOENT, File.IoasMapFile(ReadWrite, new IoasId(99), 42, 0, PageSize, ref iova));

        // The range is checked before the fd is looked up.
        Assert.Equal(Errno.EINVAL, File.IoasMapFile(ReadWrite, Ioas, 42, 0, 0, ref iova));
        Assert.Equal(Errno.EOVERFLOW, File.IoasMapFile(ReadWrite, Ioas, 42, ulong.MaxValue - 2, PageSize, ref iova));
        Assert.Equal(Errno.EBADF, File.IoasMapFile(ReadWrite, Ioas, 42, 0, PageSize, ref iova));

        // Nothing stayed: no area, and no reference on the IOAS (it can be destroyed).
        Assert.Equal(Errno.None, File.Destroy(Ioas));
    }

    [Fact]
    public void Only_memfds_can_be_pinned_which_a_domain_does_at_once()
    {
        // Without a domain nothing is pinned yet: mapping /dev/iommu itself succeeds, lazily.
        var iova = SelftestConstants.MockApertureStart;
        Assert.Equal(Errno.None, File.IoasMapFile(ReadWrite | IommuIoasMapFlags.FixedIova, Ioas, Fd, 0, PageSize, ref iova));

        // Adding a domain pins it, which memfd_pin_folios refuses for a file that is not a memfd.
        Assert.Equal(Errno.EINVAL, MockDomain(Ioas, out _, out _, out _));
        Assert.Equal(Errno.None, File.IoasUnmap(Ioas, 0, ref Unmapped));
        Assert.Equal(Errno.None, MockDomain(Ioas, out _, out _, out _));
        Assert.Equal(Errno.EINVAL, MapFile(Ioas, Fd, 0, PageSize, out _));
    }

    [Fact]
    public void The_mapping_pins_file_pages_which_outlive_the_process_mapping_and_the_fd()
    {
        Assert.Equal(Errno.None, MockDomain(Ioas, out _, out var hwpt, out _));
        var (fd, address) = MemfdMmap(4 * PageSize, MmapFlags.Shared);
        WriteUser(address + PageSize, [0x5A]);
        Assert.Equal(Errno.None, MapFile(Ioas, fd, PageSize, 2 * PageSize, out var iova));
        Assert.Equal(Errno.None, CheckMap(hwpt, iova, 2 * PageSize, address + PageSize));
        Assert.Equal(Errno.None, CheckRefs(address + PageSize, 2 * PageSize, 1));

        // The process mapping and the fd go; the IOMMU still maps the same pages, which another mapping of
        // the file shows (the kernel pins by file page, not by user address).
        Assert.Equal(Errno.None, Process.Munmap(address, 4 * PageSize));
        var again = Process.Mmap(fd, 4 * PageSize, MemoryProtection.ReadWrite, MmapFlags.Shared, 0, out var remapped);
        Assert.Equal(Errno.None, again);
        Assert.Equal(Errno.None, Process.Close(fd));
        Assert.Equal(Errno.None, CheckMap(hwpt, iova, 2 * PageSize, remapped + PageSize));
        Assert.Equal(0x5A, ReadUser(remapped + PageSize, 1)[0]);

        // COPY shares the file's pages; unmapping everything unpins them.
        var copied = iova + (16 * PageSize);
        Assert.Equal(Errno.None, File.IoasCopy(IommuIoasMapFlags.FixedIova | ReadWrite, Ioas, Ioas, 2 * PageSize, iova, ref copied));
        Assert.Equal(Errno.None, CheckMap(hwpt, copied, 2 * PageSize, remapped + PageSize));
        Assert.Equal(Errno.None, CheckRefs(remapped + PageSize, 2 * PageSize, 1));
        ulong all = ulong.MaxValue;
        Assert.Equal(Errno.None, File.IoasUnmap(Ioas, 0, ref all));
        Assert.Equal(Errno.None, CheckRefs(remapped, 4 * PageSize, 0));
    }

    [Fact]
    public void Change_process_moves_nothing_when_the_new_process_cannot_be_charged()
    {
        Process.Capabilities &= ~Capabilities.IpcLock;
        Assert.Equal(Errno.None, MockDomain(Ioas, out _, out _, out _));
        Assert.Equal(Errno.None, MapFile(Ioas, Mfd, 0, 4 * PageSize, out _));
        Assert.Equal(4, Process.PinnedPages);

        // Another user's process, whose RLIMIT_MEMLOCK is three pages.
        var other = new SimulatedProcess(Process.Kernel, uid: 2000) { MemlockLimit = 3 * PageSize };
        var otherFd = Process.ShareFd(Fd, other);
        Assert.Equal(Errno.ENOMEM, other.File(otherFd).IoasChangeProcess());
        Assert.Equal((4L, 4L, 0L, 0L), (Process.PinnedPages, Process.User.LockedPages, other.PinnedPages, other.User.LockedPages));

        other.MemlockLimit = 4 * PageSize;
        Assert.Equal(Errno.None, other.File(otherFd).IoasChangeProcess());
        Assert.Equal((0L, 0L, 4L, 4L), (Process.PinnedPages, Process.User.LockedPages, other.PinnedPages, other.User.LockedPages));

        // Unpinning now uncharges the new owner.
        ulong all = ulong.MaxValue;
        Assert.Equal(Errno.None, File.IoasUnmap(Ioas, 0, ref all));
        Assert.Equal((0L, 0L), (other.PinnedPages, other.User.LockedPages));
        Assert.Equal(Errno.None, other.Close(otherFd));
    }

    private ulong Unmapped = ulong.MaxValue;
}
