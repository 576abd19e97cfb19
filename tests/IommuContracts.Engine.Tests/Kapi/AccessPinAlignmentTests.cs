using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Kapi;

/// <summary>
/// iommufd_access_pin_pages hands out whole pages, so iopt_area_contig_is_aligned requires every area the range
/// crosses, the first included, to start at a page boundary of its memory (drivers/iommu/iommufd/device.c:1130-1140
/// in 6.12, unchanged since): an IOVA whose memory starts inside a page is EINVAL before anything is pinned or
/// compared. The engine used to let the first area start inside a page; the long differential replay against the
/// 6.12 kernel found it (sequences 694, 2208, 4228, 4394, 4908, 5380).
/// </summary>
public class AccessPinAlignmentTests
{
    private const ulong Page = SimulatedProcess.PageSize;
    private const ulong Iova = 0x100_0000;

    [Theory]
    [InlineData(0x800UL)]
    [InlineData(0x470UL)]
    [InlineData(0xFFFUL)]
    public void An_access_pin_whose_memory_starts_inside_a_page_is_EINVAL(ulong offset)
    {
        using var fixture = new IommufdFixture();
        var ioas = fixture.AllocIoas();
        Assert.Equal(Errno.None, fixture.CreateAccess(ioas, MockAccessCreateFlags.NeedsPinPages, out var access));
        Assert.Equal(Errno.None, fixture.MapFixed(ioas, fixture.Buffer, 4 * Page, Iova));

        // The pages match uptr, so only the alignment can refuse it; a NULL uptr skips the comparison.
        Assert.Equal(Errno.EINVAL, fixture.AccessPages(access, Iova + offset, Page, fixture.Buffer + offset, out _));
        Assert.Equal(Errno.EINVAL, fixture.AccessPages(access, Iova + offset, Page, 0, out _));
        Assert.Equal(Errno.None, fixture.CheckRefs(fixture.Buffer, 4 * Page, 0));

        // From the page boundary on, the same pages pin.
        Assert.Equal(Errno.None, fixture.AccessPages(access, Iova + Page, Page, fixture.Buffer + Page, out var pinned));
        Assert.Equal(Errno.None, fixture.DestroyAccessPages(access, pinned));
        Assert.Equal(Errno.None, fixture.DestroyAccess(access));
    }
}
