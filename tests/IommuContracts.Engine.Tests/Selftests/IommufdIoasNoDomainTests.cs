using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// FIXTURE_VARIANT_ADD(iommufd_ioas, no_domain): one IOAS, no mock device or domain, base IOVA 0. The TEST_Fs
/// shared with the mock-domain variants, and the access tests, are inherited from
/// <see cref="IommufdIoasTestsBase"/>; here are those whose whole body is the branch the kernel takes when
/// <c>self->stdev_id</c> / <c>self->device_id</c> are 0, and ioas_align_change, which only this variant runs.
/// </summary>
/// <remarks>
/// Not ported: fork_gone and fork_present (fork), dmabuf_simple, dmabuf_multi_page and dmabuf_revoke (dma-buf
/// test ops, outside the current scope).
/// </remarks>
public sealed class IommufdIoasNoDomainTests : IommufdIoasTestsBase
{
    private const ulong MockApertureStart = SelftestConstants.MockApertureStart;

    public IommufdIoasNoDomainTests()
        : base(mockDomains: 0)
    {
    }

    // TEST_F(iommufd_ioas, alloc_hwpt_nested), no_domain branch, HWPT_ALLOC half: device_id and parent are 0.
    [Fact]
    public void Alloc_hwpt_nested_without_device_allocates_nothing()
    {
        // struct iommu_hwpt_selftest of the newest header: iotlb, pagetable_type.
        var data = new UserBuffer(Host, PageSize);
        data.U32(0, SelftestConstants.TestIotlbDefault);
        const uint dataLength = 8;

        Assert.Equal(Errno.ENOENT, File.HwptAlloc(IommuHwptAllocFlags.None, DeviceId.None, Ioas, IommuHwptDataType.None, 0, 0, FaultId.None, out _));
        Assert.Equal(Errno.ENOENT, File.HwptAlloc(IommuHwptAllocFlags.None, DeviceId.None, ObjectId.None, IommuHwptDataType.Selftest, dataLength, data.Address, FaultId.None, out _));
        Assert.Equal(Errno.ENOENT, File.HwptAlloc(IommuHwptAllocFlags.None, DeviceId.None, ObjectId.None, IommuHwptDataType.Selftest, dataLength, data.Address, FaultId.None, out _));
    }

    // TEST_F(iommufd_ioas, alloc_hwpt_nested), no_domain branch, replace half: stdev_id and nested IDs are 0.
    [Fact]
    public void Alloc_hwpt_nested_without_device_replaces_nothing()
    {
        Assert.Equal(Errno.ENOENT, MockDomainReplace(ObjectId.None, ObjectId.None));
        Assert.Equal(Errno.ENOENT, MockDomainReplace(ObjectId.None, ObjectId.None));
    }

    // TEST_F(iommufd_ioas, get_hw_info), no-device branch: device_id 0, exact and larger user buffers.
    [Fact]
    public void Get_hw_info()
    {
        var exact = new UserBuffer(Host, PageSize);
        var larger = new UserBuffer(Host, PageSize);

        // struct iommu_test_hw_info is 8 bytes; the larger buffer adds a trailing u64.
        Assert.Equal(Errno.ENOENT, GetHwInfo(exact.Address, 8));
        Assert.Equal(Errno.ENOENT, GetHwInfo(larger.Address, 16));
    }

    // TEST_F(iommufd_ioas, ioas_align_change): only the no-domain variant runs it.
    [Fact]
    public void Ioas_align_change()
    {
        ulong pageAligned = 0;

        // Raising the alignment to PAGE_SIZE works while every area is page aligned.
        Assert.Equal(Errno.None, MapFixed(Buffer, PageSize, MockApertureStart));
        Assert.Equal(Errno.None, HugePages(IommuOptionOp.Set, ref pageAligned));

        // A mapping whose user address is not page aligned is then refused.
        Assert.Equal(Errno.EINVAL, MapFixed(Buffer + MockPageSize, PageSize, MockApertureStart + PageSize));
        Assert.Equal(Errno.None, HugePages(IommuOptionOp.Set, ref pageAligned));

        // Back to byte alignment.
        ulong any = 1;
        Assert.Equal(Errno.None, HugePages(IommuOptionOp.Set, ref any));

        // With a misaligned area present the alignment cannot be raised again.
        Assert.Equal(Errno.None, MapFixed(Buffer + MockPageSize, PageSize, MockApertureStart + PageSize));
        pageAligned = 0;
        Assert.Equal(Errno.EADDRINUSE, HugePages(IommuOptionOp.Set, ref pageAligned));

        Assert.Equal(Errno.None, Unmap(MockApertureStart + PageSize, PageSize));
        Assert.Equal(Errno.None, Unmap(MockApertureStart, PageSize));
    }

    private Errno MockDomainReplace(ObjectId stdev, ObjectId ptId)
    {
        var payload = new IommuTestPayload { MockDomainReplace = new TestMockDomainReplace { PtId = ptId } };
        return File.TestCmd(IommuTestOp.MockDomainReplace, stdev, ref payload);
    }

    // _test_cmd_get_hw_info with IOMMU_HW_INFO_TYPE_DEFAULT (no INPUT_TYPE flag).
    private Errno GetHwInfo(ulong data, uint dataLength)
    {
        var type = IommuHwInfoType.Default;
        return File.GetHwInfo(IommuHwInfoFlags.None, DeviceId.None, data, ref dataLength, ref type, out _, out _);
    }
}
