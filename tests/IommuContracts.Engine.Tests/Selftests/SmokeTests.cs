using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

public class SmokeTests : IommufdFixture
{
    [Fact]
    public void Alloc_map_unmap_destroy_round_trip()
    {
        var ioas = AllocIoas();
        Assert.Equal(1u, ioas.Value);
        Assert.Equal(Errno.None, Map(ioas, Buffer, PageSize, out var iova));
        Assert.NotEqual(0UL, iova);
        Assert.Equal(Errno.None, Unmap(ioas, iova, PageSize, out var unmapped));
        Assert.Equal(PageSize, unmapped);
        Assert.Equal(Errno.ENOENT, Unmap(ioas, iova, PageSize, out _));
        Assert.Equal(Errno.None, File.Destroy(ioas));
        Assert.Equal(Errno.ENOENT, File.Destroy(ioas));
    }

    [Fact]
    public void Fresh_ioas_reports_the_whole_range()
    {
        var ioas = AllocIoas();
        var ranges = new IommuIovaRange[2];
        var address = Host.Mmap(PageSize);
        uint count = 2;
        Assert.Equal(Errno.None, File.IoasIovaRanges(ioas, address, ref count, out var alignment));
        Assert.Equal(1u, count);
        Assert.Equal(1UL, alignment);
    }
}
