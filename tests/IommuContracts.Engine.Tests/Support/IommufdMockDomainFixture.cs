using IommuContracts.Engine.Host;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// The kernel selftests' <c>iommufd_mock_domain</c> fixture: one IOAS with <see cref="MockDomains"/> mock
/// devices attached, and the shape of the test mmap (8 pages, or two 2 MiB MAP_HUGETLB pages for the
/// hugepage variants). Teardown is the base teardown (close, reopen, MD_CHECK_REFS == 0, no WARN).
/// </summary>
/// <remarks>
/// The kernel setup also runs test_cmd_dev_check_cache_all after each MOCK_DOMAIN; IOMMU_TEST_OP_DEV_CHECK_CACHE
/// is not modelled by the engine, so that check is left out.
/// </remarks>
public abstract class IommufdMockDomainFixture : IommufdFixture
{
    protected IommufdMockDomainFixture(int mockDomains, bool hugepages)
    {
        Assert.True(mockDomains <= HwptIds.Length);
        MockDomains = mockDomains;
        Hugepages = hugepages;
        Ioas = AllocIoas();

        for (var i = 0; i != mockDomains; i++)
        {
            Assert.Equal(Errno.None, MockDomain(Ioas, out StdevIds[i], out HwptIds[i], out IdevIds[i]));
        }

        HwptId = HwptIds[0];
        MmapBufSize = hugepages ? 2 * HugePageSize : 8 * PageSize;
    }

    /// <summary>variant->mock_domains.</summary>
    public int MockDomains { get; }

    /// <summary>variant->hugepages.</summary>
    public bool Hugepages { get; }

    /// <summary>self->ioas_id.</summary>
    public IoasId Ioas { get; }

    /// <summary>self->hwpt_id: the first device's HWPT.</summary>
    public HwptId HwptId { get; }

    /// <summary>self->hwpt_ids (tests may overwrite the second slot, as all_aligns_copy does).</summary>
    public HwptId[] HwptIds { get; } = new HwptId[2];

    /// <summary>self->stdev_ids.</summary>
    public SelftestId[] StdevIds { get; } = new SelftestId[2];

    /// <summary>self->idev_ids.</summary>
    public DeviceId[] IdevIds { get; } = new DeviceId[2];

    /// <summary>self->mmap_buf_size.</summary>
    public ulong MmapBufSize { get; }

    /// <summary>mmap(0, mmap_buf_size, PROT_READ | PROT_WRITE, self->mmap_flags, -1, 0).</summary>
    public ulong MmapTestBuffer()
        => Hugepages
            ? Host.Mmap(MmapBufSize, MemoryProtection.ReadWrite, MmapFlags.HugeTlb, HugePageSize)
            : Host.Mmap(MmapBufSize);

    /// <summary>check_mock_iova: MD_CHECK_MAP on <see cref="HwptId"/> and, if set, on the second HWPT slot.</summary>
    public void CheckMockIova(ulong ptr, ulong iova, ulong length)
    {
        var first = CheckMap(HwptId, iova, length, ptr);
        Assert.True(first == Errno.None, $"MD_CHECK_MAP of HWPT {HwptId.Value} for [0x{iova:X}, +0x{length:X}) returned {first}");
        if (HwptIds[1].IsValid)
        {
            var second = CheckMap(HwptIds[1], iova, length, ptr);
            Assert.True(second == Errno.None, $"MD_CHECK_MAP of HWPT {HwptIds[1].Value} for [0x{iova:X}, +0x{length:X}) returned {second}");
        }
    }

    /// <summary>check_refs: every non-compound page of the range is pinned <paramref name="refs"/> times.</summary>
    public void AssertRefs(ulong ptr, ulong length, uint refs)
    {
        var result = CheckRefs(ptr, length, refs);
        Assert.True(result == Errno.None, $"MD_CHECK_REFS of [0x{ptr:X}, +0x{length:X}) == {refs} returned {result}");
    }
}
