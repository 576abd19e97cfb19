using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// Port of the kernel selftests' <c>iommufd_mock_domain</c> fixture, variants one_domain, two_domains,
/// one_domain_hugepage and two_domains_hugepage (the anonymous-memory branch of every test).
/// </summary>
/// <remarks>
/// Not ported: the one_domain_file and one_domain_file_hugepage variants and the file branches of basic,
/// all_aligns, all_aligns_copy and user_copy (IOMMU_IOAS_MAP_FILE of a memfd is not modelled).
/// ro_unshare maps a MAP_PRIVATE mapping of /proc/self/exe in the kernel; the engine has no file mappings, so
/// the port uses a fresh anonymous page: the property checked (a CPU write after a read-only pin leaves the
/// IOMMU pointing at the page the process sees) is the same.
/// </remarks>
public abstract class IommufdMockDomainTestsBase : IommufdMockDomainFixture
{
    private const ulong MockApertureStart = SelftestConstants.MockApertureStart;
    private const ulong MockPageSize = PageSize / 2;

    protected IommufdMockDomainTestsBase(int mockDomains, bool hugepages)
        : base(mockDomains, hugepages)
    {
    }

    // TEST_F(iommufd_mock_domain, basic): test_basic_mmap.
    [Fact]
    public void Basic()
    {
        var bufSize = MmapBufSize;

        // Simple one page map.
        Assert.Equal(Errno.None, Map(Ioas, Buffer, PageSize, out var iova));
        CheckMockIova(Buffer, iova, PageSize);

        var buf = MmapTestBuffer();

        // EFAULT half way through the mapping.
        Assert.Equal(Errno.None, Host.Munmap(buf + (bufSize / 2), bufSize / 2));
        Assert.Equal(Errno.EFAULT, Map(Ioas, buf, bufSize, out _));

        // EFAULT on the first page.
        Assert.Equal(Errno.None, Host.Munmap(buf, bufSize / 2));
        Assert.Equal(Errno.EFAULT, Map(Ioas, buf, bufSize, out _));
    }

    // TEST_F(iommufd_mock_domain, ro_unshare): a READABLE-only map, then a CPU write; the IOMMU still maps the
    // page the process sees (anonymous page instead of a private file mapping, see the class remarks).
    [Fact]
    public void Ro_unshare()
    {
        var buf = Host.Mmap(PageSize);

        ulong iova = 0;
        Assert.Equal(Errno.None, File.IoasMap(IommuIoasMapFlags.Readable, Ioas, buf, PageSize, ref iova));
        CheckMockIova(buf, iova, PageSize);

        var ones = new byte[PageSize];
        Array.Fill(ones, (byte)1);
        WriteUser(buf, ones);
        CheckMockIova(buf, iova, PageSize);
        Assert.Equal(Errno.None, Host.Munmap(buf, PageSize));
    }

    // TEST_F(iommufd_mock_domain, all_aligns): every start and end at MOCK_PAGE_SIZE granularity (fewer starts
    // for the hugepage variants), each mapping checked in the domain and pinned exactly once.
    [Fact]
    public void All_aligns()
    {
        var bufSize = MmapBufSize;
        var buf = MmapTestBuffer();
        AssertRefs(buf, bufSize, 0);

        foreach (var (start, end) in AlignedRanges())
        {
            var length = end - start;
            Assert.True(Map(Ioas, buf + start, length, out var iova) == Errno.None, $"map of [0x{start:X}, 0x{end:X})");
            CheckMockIova(buf + start, iova, length);
            AssertPinnedOnce(buf, start, end);
            Assert.Equal(Errno.None, Unmap(Ioas, iova, length, out _));
        }

        AssertRefs(buf, bufSize, 0);
        Assert.Equal(Errno.None, Host.Munmap(buf, bufSize));
    }

    // TEST_F(iommufd_mock_domain, all_aligns_copy): as all_aligns, adding and destroying a domain while mapped.
    [Fact]
    public void All_aligns_copy()
    {
        var bufSize = MmapBufSize;
        var buf = MmapTestBuffer();
        AssertRefs(buf, bufSize, 0);

        foreach (var (start, end) in AlignedRanges())
        {
            var length = end - start;
            Assert.True(Map(Ioas, buf + start, length, out var iova) == Errno.None, $"map of [0x{start:X}, 0x{end:X})");

            // Add and destroy a domain while the area exists.
            var oldId = HwptIds[1];
            Assert.Equal(Errno.None, MockDomain(Ioas, out var mockStdev, out HwptIds[1], out _));

            CheckMockIova(buf + start, iova, length);
            AssertPinnedOnce(buf, start, end);

            Assert.Equal(Errno.None, File.Destroy(mockStdev));
            HwptIds[1] = oldId;

            Assert.Equal(Errno.None, Unmap(Ioas, iova, length, out _));
        }

        AssertRefs(buf, bufSize, 0);
        Assert.Equal(Errno.None, Host.Munmap(buf, bufSize));
    }

    // TEST_F(iommufd_mock_domain, user_copy): pages pinned in a domain-less IOAS through an access are copied
    // into the domain IOAS; then the access moves to a new IOAS and it all happens again.
    [Fact]
    public void User_copy()
    {
        const IommuIoasMapFlags copyFlags = IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Writeable;

        // Pin the pages in an IOAS with no domains, then copy to an IOAS with domains.
        var ioas = AllocIoas();
        Assert.Equal(Errno.None, Map(ioas, Buffer, BufferSize, out var srcIova));
        Assert.Equal(Errno.None, CreateAccess(ioas, MockAccessCreateFlags.NeedsPinPages, out var access));

        Assert.Equal(Errno.None, AccessPages(access, srcIova, BufferSize, Buffer, out _));
        var dstIova = MockApertureStart;
        Assert.Equal(Errno.None, File.IoasCopy(copyFlags, Ioas, ioas, BufferSize, srcIova, ref dstIova));
        CheckMockIova(Buffer, MockApertureStart, BufferSize);

        // Replace the IOAS with a new one.
        var newIoas = AllocIoas();
        Assert.Equal(Errno.None, Map(newIoas, Buffer, BufferSize, out srcIova));
        Assert.Equal(Errno.None, AccessReplaceIoas(access, newIoas));

        // Destroy the old IOAS and clean up the copied mapping.
        Assert.Equal(Errno.None, Unmap(Ioas, MockApertureStart, BufferSize, out _));
        Assert.Equal(Errno.None, File.Destroy(ioas));

        // The same again with the new IOAS.
        Assert.Equal(Errno.None, AccessPages(access, srcIova, BufferSize, Buffer, out var pagesId));
        dstIova = MockApertureStart;
        Assert.Equal(Errno.None, File.IoasCopy(copyFlags, Ioas, newIoas, BufferSize, srcIova, ref dstIova));
        CheckMockIova(Buffer, MockApertureStart, BufferSize);

        Assert.Equal(Errno.None, DestroyAccessPages(access, pagesId));
        Assert.Equal(Errno.None, DestroyAccess(access));

        Assert.Equal(Errno.None, File.Destroy(newIoas));
    }

    // TEST_F(iommufd_mock_domain, replace)
    [Fact]
    public void Replace()
    {
        var ioas = AllocIoas();

        Assert.Equal(Errno.None, ReplaceMockDevice(StdevIds[0], ioas));

        // Replacing the IOAS deallocated the prior automatic HWPT, so it can no longer be used.
        if (MockDomains == 1)
        {
            Assert.Equal(Errno.ENOENT, ReplaceMockDevice(StdevIds[0], HwptIds[0]));
        }

        Assert.Equal(Errno.None, ReplaceMockDevice(StdevIds[0], ioas));
        if (MockDomains >= 2)
        {
            Assert.Equal(Errno.None, ReplaceMockDevice(StdevIds[0], HwptIds[1]));
            Assert.Equal(Errno.None, ReplaceMockDevice(StdevIds[0], HwptIds[1]));
            Assert.Equal(Errno.None, ReplaceMockDevice(StdevIds[0], HwptIds[0]));
        }

        Assert.Equal(Errno.None, ReplaceMockDevice(StdevIds[0], Ioas));
        Assert.Equal(Errno.None, File.Destroy(ioas));
    }

    // TEST_F(iommufd_mock_domain, alloc_hwpt): manual HWPTs, a rotation through them, and a device created on one.
    [Fact]
    public void Alloc_hwpt()
    {
        for (var i = 0; i != MockDomains; i++)
        {
            Assert.Equal(Errno.EOPNOTSUPP, HwptAlloc(IdevIds[i], Ioas, ~IommuHwptAllocFlags.NestParent, out _));
            Assert.Equal(Errno.None, HwptAlloc(IdevIds[i], Ioas, IommuHwptAllocFlags.None, out var hwpt0));
            Assert.Equal(Errno.None, HwptAlloc(IdevIds[i], Ioas, IommuHwptAllocFlags.NestParent, out var hwpt1));

            // A hw_pagetable rotation.
            Assert.Equal(Errno.None, ReplaceMockDevice(StdevIds[i], hwpt0));
            Assert.Equal(Errno.EBUSY, File.Destroy(hwpt0));
            Assert.Equal(Errno.None, ReplaceMockDevice(StdevIds[i], hwpt1));
            Assert.Equal(Errno.EBUSY, File.Destroy(hwpt1));
            Assert.Equal(Errno.None, ReplaceMockDevice(StdevIds[i], Ioas));
            Assert.Equal(Errno.None, File.Destroy(hwpt1));

            Assert.Equal(Errno.None, MockDomain(hwpt0, out var stdev, out _, out _));
            Assert.Equal(Errno.None, File.Destroy(stdev));
            Assert.Equal(Errno.None, File.Destroy(hwpt0));
        }
    }

    // The [start, end) offsets into the test buffer that all_aligns and all_aligns_copy map: every start at
    // MOCK_PAGE_SIZE steps (a sixteenth of the buffer for hugepage variants) and every MOCK_PAGE_SIZE-aligned
    // end after it. As in the kernel, a hugepage variant's first end is the buffer end, so it yields nothing.
    private IEnumerable<(ulong Start, ulong End)> AlignedRanges()
    {
        var testStep = Hugepages ? MmapBufSize / 16 : MockPageSize;
        for (ulong start = 0; start < MmapBufSize; start += testStep)
        {
            for (var end = Hugepages ? MmapBufSize : start + MockPageSize; end < MmapBufSize; end += MockPageSize)
            {
                yield return (start, end);
            }
        }
    }

    // The kernel's check_refs for a mapping of [start, end): MD_CHECK_REFS counts whole CPU pages, so it checks
    // from the page holding start up to the page holding end, each pinned once.
    private void AssertPinnedOnce(ulong buf, ulong start, ulong end)
    {
        var firstPage = start / PageSize * PageSize;
        var endPage = end / PageSize * PageSize;
        AssertRefs(buf + firstPage, endPage - firstPage, 1);
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_mock_domain, one_domain).</summary>
public sealed class IommufdMockDomainOneDomainTests : IommufdMockDomainTestsBase
{
    public IommufdMockDomainOneDomainTests()
        : base(mockDomains: 1, hugepages: false)
    {
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_mock_domain, two_domains).</summary>
public sealed class IommufdMockDomainTwoDomainsTests : IommufdMockDomainTestsBase
{
    public IommufdMockDomainTwoDomainsTests()
        : base(mockDomains: 2, hugepages: false)
    {
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_mock_domain, one_domain_hugepage).</summary>
public sealed class IommufdMockDomainOneDomainHugepageTests : IommufdMockDomainTestsBase
{
    public IommufdMockDomainOneDomainHugepageTests()
        : base(mockDomains: 1, hugepages: true)
    {
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_mock_domain, two_domains_hugepage).</summary>
public sealed class IommufdMockDomainTwoDomainsHugepageTests : IommufdMockDomainTestsBase
{
    public IommufdMockDomainTwoDomainsHugepageTests()
        : base(mockDomains: 2, hugepages: true)
    {
    }
}
