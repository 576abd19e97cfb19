using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.Tests.Processes;

/// <summary>The simulated process's memfds and file syscalls: sizes, shared and private mappings, read and write, fd passing.</summary>
public sealed class MemfdTests
{
    private const ulong Page = SimulatedProcess.PageSize;
    private readonly SimulatedProcess _process = new();

    [Fact]
    public void Shared_mappings_of_a_memfd_see_the_same_pages()
    {
        var fd = _process.MemfdCreate("test");
        Assert.Equal(Errno.None, _process.Ftruncate(fd, 2 * Page));
        Assert.Equal(Errno.None, _process.Mmap(fd, 2 * Page, MemoryProtection.ReadWrite, MmapFlags.Shared, 0, out var first));
        Assert.Equal(Errno.None, _process.Mmap(fd, Page, MemoryProtection.ReadWrite, MmapFlags.Shared, Page, out var second));

        Assert.Equal(Errno.None, _process.Write(first + Page + 8, [1, 2, 3]));
        var bytes = new byte[3];
        Assert.Equal(Errno.None, _process.Read(second + 8, bytes));
        Assert.Equal(new byte[] { 1, 2, 3 }, bytes);

        // read(2) from the file's position sees the same bytes.
        var all = new byte[2 * Page];
        Assert.Equal((long)(2 * Page), _process.ReadFile(fd, all));
        Assert.Equal(new byte[] { 1, 2, 3 }, all[((int)Page + 8)..((int)Page + 11)]);
        Assert.Equal(0, _process.ReadFile(fd, all));
    }

    [Fact]
    public void A_private_mapping_copies_a_page_on_its_first_write()
    {
        var fd = _process.MemfdCreate("test");
        Assert.Equal(Errno.None, _process.Ftruncate(fd, Page));
        Assert.Equal(Errno.None, _process.Mmap(fd, Page, MemoryProtection.ReadWrite, MmapFlags.Shared, 0, out var shared));
        Assert.Equal(Errno.None, _process.Mmap(fd, Page, MemoryProtection.ReadWrite, MmapFlags.None, 0, out var @private));
        Assert.Equal(Errno.None, _process.Write(shared, [7]));

        var value = new byte[1];
        Assert.Equal(Errno.None, _process.Read(@private, value));
        Assert.Equal(7, value[0]);
        Assert.Equal(Errno.None, _process.Write(@private, [9]));
        Assert.Equal(Errno.None, _process.Read(shared, value));
        Assert.Equal(7, value[0]);
        Assert.Equal(Errno.None, _process.Read(@private, value));
        Assert.Equal(9, value[0]);
    }

    [Fact]
    public void Past_the_end_of_the_file_is_a_fault_and_truncation_moves_the_end()
    {
        var fd = _process.MemfdCreate("test");
        Assert.Equal(Errno.None, _process.Ftruncate(fd, Page));
        Assert.Equal(Errno.None, _process.Mmap(fd, 2 * Page, MemoryProtection.ReadWrite, MmapFlags.Shared, 0, out var address));
        Assert.Equal(Errno.None, _process.Write(address, [1]));
        Assert.Equal(Errno.EFAULT, _process.Write(address + Page, [1]));
        Assert.Equal(Errno.None, _process.Ftruncate(fd, 0));
        Assert.Equal(Errno.EFAULT, _process.Read(address, new byte[1]));
    }

    [Fact]
    public void Bad_arguments_answer_the_syscall_errno()
    {
        Assert.Equal(Errno.EINVAL.ToSyscallResult(), _process.MemfdCreate("x", (MemfdFlags)0x80));
        Assert.Equal(Errno.EBADF, _process.Ftruncate(42, Page));
        Assert.Equal(Errno.EBADF, _process.Mmap(42, Page, MemoryProtection.Read, MmapFlags.Shared, 0, out _));
        Assert.Equal(Errno.EBADF.ToSyscallResult(), _process.ReadFile(42, new byte[8]));
        Assert.Equal(PollEvents.Nval, _process.Poll(42));

        var fd = _process.MemfdCreate("x");
        Assert.Equal(Errno.EINVAL, _process.Mmap(fd, 0, MemoryProtection.Read, MmapFlags.Shared, 0, out _));
        Assert.Equal(Errno.EINVAL, _process.Mmap(fd, Page, MemoryProtection.Read, MmapFlags.Shared, 12, out _));
        Assert.Equal(PollEvents.Default, _process.Poll(fd));

        // Only memfds can be truncated here; /dev/iommu has neither read nor mmap.
        var iommufd = _process.OpenIommufd();
        Assert.Equal(Errno.EINVAL, _process.Ftruncate(iommufd, Page));
        Assert.Equal(Errno.EINVAL.ToSyscallResult(), _process.ReadFile(iommufd, new byte[8]));

        // A hugetlbfs memfd takes whole huge pages only.
        var huge = _process.MemfdCreate("huge", MemfdFlags.HugeTlb);
        Assert.Equal(Errno.EINVAL, _process.Ftruncate(huge, Page));
        Assert.Equal(Errno.None, _process.Ftruncate(huge, 2UL << 20));
        Assert.Equal(Errno.EINVAL.ToSyscallResult(), _process.WriteFile(huge, new byte[8]));
    }

    [Fact]
    public void A_mapping_keeps_the_file_after_its_fd_is_closed_and_a_shared_fd_is_the_same_file()
    {
        var fd = _process.MemfdCreate("test");
        Assert.Equal(Errno.None, _process.Ftruncate(fd, Page));
        Assert.Equal(Errno.None, _process.Mmap(fd, Page, MemoryProtection.ReadWrite, MmapFlags.Shared, 0, out var address));
        var other = new SimulatedProcess(_process.Kernel);
        var otherFd = _process.ShareFd(fd, other);
        Assert.True(otherFd >= 3);
        Assert.Equal(Errno.None, _process.Close(fd));

        Assert.Equal(Errno.None, _process.Write(address, [5]));
        var value = new byte[1];
        Assert.Equal(1, other.ReadFile(otherFd, value));
        Assert.Equal(5, value[0]);
        Assert.Equal(Errno.EBADF.ToSyscallResult(), _process.ShareFd(fd, other));
    }
}
