using IommuContracts.Engine.Core;
using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// The selftest dma-buf exporter and IOAS_MAP_FILE of a dma-buf beyond dmabuf_simple and dmabuf_revoke: the
/// exporter's own answers, the exporter's memory mapped into every domain uncharged, a revoke that unmaps it
/// everywhere for good, and what accesses and CHANGE_PROCESS make of such a mapping.
/// </summary>
public sealed class DmabufTests : IommufdIoasFixture
{
    private const ulong BufSize = 4 * PageSize;

    [Fact]
    public void Get_rounds_the_length_up_to_pages_and_refuses_none_or_more_than_512()
    {
        Assert.Equal(Errno.EINVAL.ToSyscallResult(), GetDmabuf(0));
        Assert.Equal(Errno.EINVAL.ToSyscallResult(), GetDmabuf((512 * PageSize) + 1));

        // The ioctl returns the lowest free fd.
        var lowestFree = Enumerable.Range(3, 64).First(fd => !Process.OpenFds.Contains(fd));
        var small = GetDmabuf(1);
        Assert.Equal(lowestFree, small);
        Assert.Equal(PageSize, BufferOf(small).Size);
        var largest = Dmabuf(512 * PageSize);
        Assert.Equal(512 * PageSize, BufferOf(largest).Size);

        // A mapping of the one-byte buffer may cover its whole page, not more.
        Assert.Equal(Errno.None, MapFile(Ioas, small, 0, PageSize, out _));
        Assert.Equal(Errno.EINVAL, MapFile(Ioas, small, 0, PageSize + 1, out _));
    }

    [Fact]
    public void The_dma_buf_file_has_no_read_write_mmap_or_ioctl()
    {
        var dfd = Dmabuf(BufSize);
        Span<byte> bytes = stackalloc byte[8];
        Assert.Equal(Errno.EINVAL.ToSyscallResult(), Process.ReadFile(dfd, bytes));
        Assert.Equal(Errno.EINVAL.ToSyscallResult(), Process.WriteFile(dfd, bytes));
        Assert.Equal(Errno.EINVAL, Process.Mmap(dfd, BufSize, MemoryProtection.ReadWrite, MmapFlags.Shared, 0, out _));
        Assert.Equal(Errno.ENOTTY.ToSyscallResult(), Process.Ioctl(dfd, 0x3B80, 0));
    }

    [Fact]
    public void Revoke_looks_the_fd_up_as_a_dma_buf()
    {
        Assert.Equal(Errno.EBADF, RevokeDmabuf(99, true));
        Assert.Equal(Errno.EINVAL, RevokeDmabuf(Mfd, true));
        Assert.Equal(Errno.EINVAL, RevokeDmabuf(Fd, true));
        var dfd = Dmabuf(BufSize);
        Assert.Equal(Errno.None, RevokeDmabuf(dfd, true));
        Assert.True(BufferOf(dfd).Revoked);
        Assert.Equal(Errno.None, RevokeDmabuf(dfd, false));
        Assert.False(BufferOf(dfd).Revoked);
    }

    [Fact]
    public void Domains_map_the_exporters_memory_without_charging_anyone()
    {
        Assert.Equal(Errno.None, MockDomain(Ioas, out _, out var hwpt, out _));
        var dfd = Dmabuf(BufSize);
        var pinnedBefore = Process.PinnedPages;

        // From an offset inside the buffer: the IOVA keeps the offset within its page, which must be aligned
        // to the domain's smallest page.
        Assert.Equal(Errno.EINVAL, MapFile(Ioas, dfd, PageSize + 0x80, 2 * PageSize, out _));
        Assert.Equal(Errno.None, MapFile(Ioas, dfd, PageSize + MockPageSize, 2 * PageSize, out var iova));
        Assert.Equal(MockPageSize, iova % PageSize);
        var memory = Physical(dfd, PageSize + MockPageSize);
        Assert.Equal(memory, Translate(hwpt, iova)!.Value.Physical);
        Assert.Equal(memory + PageSize, Translate(hwpt, iova + PageSize)!.Value.Physical);
        Assert.Equal(pinnedBefore, Process.PinnedPages);
        Assert.Empty(EngineInspection.DomainMirrorProblems(Context, translate: true));
    }

    [Fact]
    public void A_revoke_unmaps_every_domain_of_every_IOAS_and_later_domains_map_nothing()
    {
        Assert.Equal(Errno.None, MockDomain(Ioas, out _, out var hwpt, out var device));
        var other = AllocIoas();
        Assert.Equal(Errno.None, MockDomain(other, out _, out var otherHwpt, out _));
        var dfd = Dmabuf(BufSize);
        Assert.Equal(Errno.None, MapFile(Ioas, dfd, 0, BufSize, out var iova));

        // A COPY shares the pages, so the other IOAS's domain maps the same memory.
        var copied = SelftestConstants.MockApertureStart;
        Assert.Equal(Errno.None, File.IoasCopy(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Writeable | IommuIoasMapFlags.Readable, other, Ioas, BufSize, iova, ref copied));
        Assert.Equal(Physical(dfd, 0), Translate(otherHwpt, copied)!.Value.Physical);

        Assert.Equal(Errno.None, RevokeDmabuf(dfd, true));
        Assert.Null(Translate(hwpt, iova));
        Assert.Null(Translate(otherHwpt, copied));

        // The areas stay; a new domain maps nothing for them, and restoring the exporter does not bring
        // the old attachment back.
        Assert.Equal(Errno.None, HwptAlloc(device, Ioas, IommuHwptAllocFlags.None, out var later));
        Assert.Null(Translate(later, iova));
        Assert.Equal(Errno.None, RevokeDmabuf(dfd, false));
        Assert.Null(Translate(hwpt, iova));
        Assert.Empty(EngineInspection.DomainMirrorProblems(Context, translate: true));

        // Unmapping the revoked areas works, and a new mapping is live.
        Assert.Equal(Errno.None, Unmap(iova, BufSize));
        Assert.Equal(Errno.None, Unmap(other, copied, BufSize, out _));
        Assert.Equal(Errno.None, MapFixedFile(Ioas, dfd, 0, BufSize, iova));
        Assert.Equal(Physical(dfd, 0), Translate(hwpt, iova)!.Value.Physical);
        Assert.Empty(EngineInspection.DomainMirrorProblems(Context, translate: true));
    }

    [Fact]
    public void The_mapping_holds_the_buffer_after_its_fd_is_closed_and_lets_go_when_unmapped()
    {
        Assert.Equal(Errno.None, MockDomain(Ioas, out _, out var hwpt, out _));
        var dfd = Dmabuf(BufSize);
        var buffer = BufferOf(dfd);
        var memory = Physical(dfd, 0);
        Assert.Equal(Errno.None, MapFile(Ioas, dfd, 0, BufSize, out var iova));
        Assert.Equal(1, buffer.Attachments);

        Assert.Equal(Errno.None, Process.Close(dfd));
        Assert.False(buffer.IsReleased);
        Assert.Equal(memory, Translate(hwpt, iova)!.Value.Physical);

        Assert.Equal(Errno.None, Unmap(iova, BufSize));
        Assert.Equal(0, buffer.Attachments);
        Assert.True(buffer.IsReleased);
    }

    [Fact]
    public void Accesses_cannot_pin_or_copy_dma_buf_memory()
    {
        var dfd = Dmabuf(BufSize);
        Assert.Equal(Errno.None, MapFile(Ioas, dfd, 0, BufSize, out var iova));
        Assert.Equal(Errno.None, CreateAccess(Ioas, MockAccessCreateFlags.NeedsPinPages, out var access));

        Assert.Equal(Errno.EINVAL, AccessPages(access, iova, PageSize, Buffer, out _));
        Assert.Equal(Errno.EINVAL, AccessRw(access, iova, 16, Buffer, MockAccessRwFlags.None));

        // The permission check comes first.
        var readOnly = SelftestConstants.MockApertureStart;
        Assert.Equal(Errno.None, File.IoasMapFile(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable, Ioas, dfd, 0, BufSize, ref readOnly));
        Assert.Equal(Errno.EPERM, AccessRw(access, readOnly, 16, Buffer, MockAccessRwFlags.Write));
        Assert.Equal(Errno.None, DestroyAccess(access));
    }

    [Fact]
    public void Change_process_refuses_a_dma_buf_mapping()
    {
        var dfd = Dmabuf(BufSize);
        Assert.Equal(Errno.None, MapFile(Ioas, dfd, 0, BufSize, out var iova));
        Assert.Equal(Errno.EINVAL, File.IoasChangeProcess());
        Assert.Equal(Errno.None, Unmap(iova, BufSize));
        Assert.Equal(Errno.None, File.IoasChangeProcess());
    }

    private IommufdContext Context => EngineInspection.ContextOf(Process, Fd);

    private SelftestDmaBuf BufferOf(int fd)
    {
        Assert.True(Process.TryGetFile(fd, out var file));
        file.Put();
        return Assert.IsType<SelftestDmaBuf>(file);
    }

    // Where the buffer's byte lands in physical memory (a domain mapping of it must translate there).
    private ulong Physical(int fd, ulong offset) => BufferOf(fd).PhysicalAddressOf(offset);

    private (ulong Physical, bool Read, bool Write, ulong EntrySize)? Translate(HwptId hwpt, ulong iova)
        => Context.Objects.Snapshot().OfType<HwPageTable>().Single(h => h.RawId == hwpt.Value).TranslatingDomain.Translate(iova);
}
