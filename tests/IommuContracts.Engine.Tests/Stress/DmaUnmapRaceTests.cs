using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Stress;

/// <summary>
/// Issue 11, found by a 300 s fuzz/stress run: a device's DMA against an IOAS_UNMAP of the memory it reads.
/// The kernel unmaps an area from every domain (iommu_unmap, whose IOTLB sync completes only once DMA that
/// translated through the removed entries has finished) before it unpins the pages, so a DMA either misses
/// the mapping (an IOMMU fault) or completes on pinned memory. The race is played in a fixed order: the DMA
/// stops right after its first translation, the unmap starts on another thread, and the DMA resumes once the
/// unmap finished or is waiting.
/// </summary>
public class DmaUnmapRaceTests
{
    private const ulong Page = SimulatedProcess.PageSize;
    private const ulong Iova = 0x4000_0000;

    [Theory]
    [InlineData(VfioDeviceSimDmaFlags.Read)]
    [InlineData(VfioDeviceSimDmaFlags.Write)]
    public void A_DMA_that_translated_before_an_unmap_completes_on_pinned_memory_and_the_unmap_waits_for_it(VfioDeviceSimDmaFlags direction)
    {
        var host = new KapiHost();
        var vfioFd = host.Process.OpenVfioDevice(VfioPciDriver.Bind(host.AddBareDevice()));
        var vfio = host.Process.File(vfioFd);
        Assert.Equal(Errno.None, vfio.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, host.Fd, 0, out _));
        var ioas = host.AllocIoas();
        var buffer = host.Buffer(4 * Page, fill: 0xA5);
        Assert.Equal(Errno.None, host.Map(ioas, buffer, 4 * Page, Iova));
        Assert.Equal(Errno.None, vfio.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out _));
        var user = host.Buffer(Page, fill: 0x3C);

        BackgroundCall? unmap = null;
        var unmapDoneDuringDma = false;
        ulong unmapped = 0;
        host.Kernel.Interleavings.Arm(InterleavingPoint.DmaTranslated, () =>
        {
            unmap = BackgroundCall.StartAndAwaitFinishedOrBlocked(() => host.Unmap(ioas, Iova, 4 * Page, out unmapped));
            unmapDoneDuringDma = unmap.IsFinished;
        });

        var dma = vfio.VfioDeviceSimDma(direction, Iova + Page, user, Page);

        Assert.NotNull(unmap);
        Assert.Equal(Errno.None, unmap!.Join("the unmap"));
        host.AssertNoWarnings();
        Assert.False(unmapDoneDuringDma, "the unmap returned (and unpinned) while a DMA that translated through it was in flight");

        // The DMA translated first, so it completed, on memory still pinned; the unmap then removed everything.
        Assert.Equal(Errno.None, dma);
        var expected = direction == VfioDeviceSimDmaFlags.Read ? (byte)0xA5 : (byte)0x3C;
        Assert.All(host.ReadMemory(direction == VfioDeviceSimDmaFlags.Read ? user : buffer + Page, (int)Page), b => Assert.Equal(expected, b));
        Assert.Equal(4 * Page, unmapped);
        Assert.Equal(0, host.Process.PinnedPages);
        Assert.Equal(0, host.Process.PinCount(buffer));

        // And after the unmap the device reaches nothing.
        Assert.Equal(Errno.EIO, vfio.VfioDeviceSimDma(direction, Iova + Page, user, Page));
        Assert.Equal(Errno.None, host.Process.Close(vfioFd));
        host.AssertNoWarnings();
    }
}
