using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

public class MockDomainSmokeTests : IommufdFixture
{
    [Fact]
    public void Mock_domain_ids_and_mapping_follow_the_kernel()
    {
        var ioas = AllocIoas();
        Assert.Equal(Errno.None, MockDomain(ioas, out var stdev, out var hwpt, out var idev));
        Assert.Equal(2u, stdev.Value);
        Assert.Equal(3u, idev.Value);
        Assert.Equal(4u, hwpt.Value);

        Assert.Equal(Errno.None, Map(ioas, Buffer, PageSize, out var iova));
        Assert.True(iova >= SelftestConstants.MockApertureStart);
        Assert.Equal(Errno.None, CheckMap(hwpt, iova, PageSize, Buffer));
        Assert.Equal(Errno.None, CheckRefs(Buffer, PageSize, 1));
        Assert.Equal(Errno.EBUSY, File.Destroy(ioas));
        Assert.Equal(Errno.None, Unmap(ioas, iova, PageSize, out _));
        Assert.Equal(Errno.None, CheckRefs(Buffer, PageSize, 0));
        Assert.Equal(Errno.None, File.Destroy(stdev));
        Assert.Equal(Errno.None, File.Destroy(ioas));
    }

    [Fact]
    public void Iova_ranges_narrow_to_the_mock_aperture()
    {
        var ioas = AllocIoas();
        Assert.Equal(Errno.None, MockDomain(ioas, out _, out _, out _));
        var array = Host.Mmap(PageSize);
        uint count = 4;
        Assert.Equal(Errno.None, File.IoasIovaRanges(ioas, array, ref count, out var alignment));
        Assert.Equal(1u, count);
        Assert.Equal(2048UL, alignment);
        var bytes = new byte[16];
        Assert.Equal(Errno.None, Host.Read(array, bytes));
        Assert.Equal(SelftestConstants.MockApertureStart, BitConverter.ToUInt64(bytes, 0));
        Assert.Equal(SelftestConstants.MockApertureLast, BitConverter.ToUInt64(bytes, 8));
    }
}
