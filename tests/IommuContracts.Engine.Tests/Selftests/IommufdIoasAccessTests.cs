using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// The access tests of the kernel selftests' <c>iommufd_ioas</c> fixture (access_domain_destory, access_pin,
/// access_pin_unmap, access_rw, access_rw_unaligned), written for every variant: every FIXTURE_VARIANT class
/// inherits them through <see cref="IommufdIoasTestsBase"/>. Accesses come from IOMMU_TEST_OP_CREATE_ACCESS and
/// are file descriptors.
/// </summary>
public abstract class IommufdIoasAccessTestsBase : IommufdIoasDomainFixture
{
    private const ulong MockApertureStart = SelftestConstants.MockApertureStart;

    protected IommufdIoasAccessTestsBase(int mockDomains, uint memoryLimit = 0, bool pasidCapable = false)
        : base(mockDomains, memoryLimit, pasidCapable)
    {
    }

    // TEST_F(iommufd_ioas, access_domain_destory): destroying the domain while an access pins inside a huge page.
    [Fact]
    public void Access_domain_destory()
    {
        const ulong bufSize = 2 * HugePageSize;
        var buf = Host.Mmap(bufSize, MemoryProtection.ReadWrite, MmapFlags.HugeTlb, HugePageSize);
        Assert.Equal(Errno.None, MapFixed(buf, bufSize, BaseIova));

        Assert.Equal(Errno.None, CreateAccess(Ioas, MockAccessCreateFlags.NeedsPinPages, out var access));
        Assert.Equal(Errno.None, AccessPages(access, BaseIova + PageSize, PageSize, buf + PageSize, out var pagesId));

        // A complicated unpin across a huge page boundary.
        if (StdevId.IsValid)
        {
            Assert.Equal(Errno.None, File.Destroy(StdevId));
        }

        Assert.Equal(Errno.None, DestroyAccessPages(access, pagesId));
        Assert.Equal(Errno.None, DestroyAccess(access));
        Assert.Equal(Errno.None, Host.Munmap(buf, bufSize));
    }

    // TEST_F(iommufd_ioas, access_pin): every pin length from one page, single and double users, and a domain
    // added and removed while pages are pinned.
    [Fact]
    public void Access_pin()
    {
        Assert.Equal(Errno.None, CreateAccess(Ioas, MockAccessCreateFlags.NeedsPinPages, out var access));

        for (ulong npages = 1; npages < BufferSize / PageSize; npages++)
        {
            var length = npages * PageSize;

            // Single map/unmap.
            Assert.Equal(Errno.None, MapFixed(Buffer, BufferSize, MockApertureStart));
            Assert.Equal(Errno.None, AccessPages(access, MockApertureStart, length, Buffer, out var single));
            Assert.Equal(Errno.None, DestroyAccessPages(access, single));

            // Double user.
            Assert.Equal(Errno.None, AccessPages(access, MockApertureStart, length, Buffer, out var first));
            Assert.Equal(Errno.None, AccessPages(access, MockApertureStart, length, Buffer, out var second));
            Assert.Equal(Errno.None, DestroyAccessPages(access, second));
            Assert.Equal(Errno.None, DestroyAccessPages(access, first));

            // Add and remove a domain while a user holds pins.
            Assert.Equal(Errno.None, AccessPages(access, MockApertureStart, length, Buffer, out var held));
            Assert.Equal(Errno.None, MockDomain(Ioas, out var mockStdev, out var mockHwpt, out _));
            Assert.True(CheckMap(mockHwpt, MockApertureStart, BufferSize, Buffer) == Errno.None, $"MD_CHECK_MAP with {npages} pinned pages");

            Assert.Equal(Errno.None, File.Destroy(mockStdev));
            Assert.Equal(Errno.None, DestroyAccessPages(access, held));

            Assert.Equal(Errno.None, Unmap(MockApertureStart, BufferSize));
        }

        Assert.Equal(Errno.None, DestroyAccess(access));
    }

    // TEST_F(iommufd_ioas, access_pin_unmap): IOAS_UNMAP calls the access's unmap op, which drops the item.
    [Fact]
    public void Access_pin_unmap()
    {
        Assert.Equal(Errno.None, CreateAccess(Ioas, MockAccessCreateFlags.NeedsPinPages, out var access));
        Assert.Equal(Errno.None, MapFixed(Buffer, BufferSize, MockApertureStart));
        Assert.Equal(Errno.None, AccessPages(access, MockApertureStart, BufferSize, Buffer, out var pagesId));

        // Trigger the unmap op.
        Assert.Equal(Errno.None, Unmap(MockApertureStart, BufferSize));

        // The kernel removed the item for us. Like the kernel test, the access fd is left open.
        Assert.Equal(Errno.ENOENT, DestroyAccessPages(access, pagesId));
    }

    // TEST_F(iommufd_ioas, access_rw): a non-pinning access reads and writes through fast and slow paths.
    [Fact]
    public void Access_rw()
    {
        Assert.Equal(Errno.None, CreateAccess(Ioas, MockAccessCreateFlags.None, out var access));
        Assert.Equal(Errno.None, Map(Buffer, BufferSize, out var iova));
        CheckAccessRw(access, iova, MockAccessRwFlags.None);
        CheckAccessRw(access, iova, MockAccessRwFlags.SlowPath);
        Assert.Equal(Errno.None, Unmap(iova, BufferSize));
        Assert.Equal(Errno.None, DestroyAccess(access));
    }

    // TEST_F(iommufd_ioas, access_rw_unaligned): the IOVA is MOCK_PAGE_SIZE past a page boundary.
    [Fact]
    public void Access_rw_unaligned()
    {
        Assert.Equal(Errno.None, CreateAccess(Ioas, MockAccessCreateFlags.None, out var access));

        var iova = BaseIova + MockPageSize;
        Assert.Equal(Errno.None, MapFixed(Buffer, BufferSize, iova));
        CheckAccessRw(access, iova, MockAccessRwFlags.None);
        Assert.Equal(Errno.None, Unmap(iova, BufferSize));
        Assert.Equal(Errno.None, DestroyAccess(access));
    }

    // check_access_rw: for IOVAs within 50 bytes of the first page boundary and every length below 64 bytes,
    // a read returns the buffer and a write lands in it; then one read of the whole buffer.
    private void CheckAccessRw(int access, ulong iova, MockAccessRwFlags defaultFlags)
    {
        const int tmpSize = 64;
        var random = new Random(0x10AD + (int)defaultFlags);
        var tmp = Host.Mmap(PageSize);

        var contents = new byte[BufferSize];
        random.NextBytes(contents);
        WriteUser(Buffer, contents);

        var scratch = new byte[tmpSize];
        for (var rwIova = iova + PageSize - 50; rwIova < iova + PageSize + 50; rwIova++)
        {
            for (var length = 1; length < tmpSize; length++)
            {
                var offset = rwIova - iova;
                var read = AccessRw(access, rwIova, (ulong)length, tmp, defaultFlags);
                Assert.True(read == Errno.None, $"ACCESS_RW read of {length} bytes at 0x{rwIova:X} returned {read}");
                Assert.True(ReadUser(Buffer + offset, length).AsSpan().SequenceEqual(ReadUser(tmp, length)), $"read of {length} bytes at 0x{rwIova:X} differs from the buffer");

                random.NextBytes(scratch);
                WriteUser(tmp, scratch);
                var written = AccessRw(access, rwIova, (ulong)length, tmp, defaultFlags | MockAccessRwFlags.Write);
                Assert.True(written == Errno.None, $"ACCESS_RW write of {length} bytes at 0x{rwIova:X} returned {written}");
                Assert.True(ReadUser(Buffer + offset, length).AsSpan().SequenceEqual(scratch.AsSpan(0, length)), $"write of {length} bytes at 0x{rwIova:X} did not reach the buffer");
            }
        }

        // Multi-page read.
        var whole = Host.Mmap(BufferSize);
        Assert.Equal(Errno.None, AccessRw(access, iova, BufferSize, whole, defaultFlags));
        Assert.True(ReadUser(Buffer, (int)BufferSize).AsSpan().SequenceEqual(ReadUser(whole, (int)BufferSize)), "multi-page read differs from the buffer");
        Assert.Equal(Errno.None, Host.Munmap(whole, BufferSize));
        Assert.Equal(Errno.None, Host.Munmap(tmp, PageSize));
    }
}
