using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Stress;

/// <summary>
/// Issue 11, found by a 300 s fuzz/stress run: two devices of one iommu group, each replacing the group's
/// HWPT by attaching to an IOAS. Device A's replace onto IOAS B builds a new automatic HWPT, moves the group
/// to it and only then publishes it (finalize comes last, as in the kernel's iommufd_device_auto_get_domain).
/// Device B's replace back onto IOAS A's automatic HWPT must not see the group on the HWPT still being built:
/// it would take it over and put it (its put was a KeyNotFoundException at A's publish, then, with a guard,
/// an orphaned automatic HWPT that kept IOAS B's pages pinned with no device on it). The race is played in a
/// fixed order: A stops just before its publish, B's replace starts and A goes on once B finished or waits.
/// </summary>
public class AutoDomainReplaceRaceTests
{
    private const ulong Page = SimulatedProcess.PageSize;
    private const ulong Iova = 0x4000_0000;

    [Fact]
    public void A_sibling_replace_during_a_replace_onto_a_new_automatic_HWPT_leaves_no_orphan_and_no_WARN()
    {
        var host = new KapiHost();
        var group = new IommuGroup(host.Iommu);
        var (fdA, vfioA) = BoundVfio(host, host.AddBareDevice(group));
        var (fdB, vfioB) = BoundVfio(host, host.AddBareDevice(group));
        var ioasA = host.AllocIoas();
        var ioasB = host.AllocIoas();
        var buffer = host.Buffer(8 * Page, fill: 0x11);
        Assert.Equal(Errno.None, host.Map(ioasA, buffer, 4 * Page, Iova));
        Assert.Equal(Errno.None, host.Map(ioasB, buffer + (4 * Page), 4 * Page, Iova));
        Assert.Equal(Errno.None, vfioA.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioasA, 0, out var hwptA));
        Assert.Equal(Errno.None, vfioB.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioasA, 0, out var sameHwpt));
        Assert.Equal(hwptA.Value, sameHwpt.Value);

        // A's replace onto IOAS B stops before it publishes the new HWPT; B's replace onto IOAS A runs then.
        BackgroundCall? replaceB = null;
        var replaceBDoneBeforePublish = false;
        HwptId replyB = default;
        host.Kernel.Interleavings.Arm(InterleavingPoint.AutoDomainBeforePublish, () =>
        {
            replaceB = BackgroundCall.StartAndAwaitFinishedOrBlocked(() => vfioB.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioasA, 0, out replyB));
            replaceBDoneBeforePublish = replaceB.IsFinished;
        });

        Assert.Equal(Errno.None, vfioA.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioasB, 0, out var hwptB));
        Assert.NotNull(replaceB);
        Assert.Equal(Errno.None, replaceB!.Join("B's replace"));
        host.AssertNoWarnings();
        Assert.False(replaceBDoneBeforePublish, "B's replace moved the group off a HWPT that was still being built");

        // B's replace came last: the whole group is on IOAS A's HWPT again, and the HWPT A built for IOAS B died
        // with its last device, unmapping and unpinning IOAS B's pages.
        Assert.NotEqual(hwptA.Value, hwptB.Value);
        Assert.Equal(hwptA.Value, replyB.Value);
        Assert.Null(host.Object(hwptB));
        Assert.Equal(4, host.Process.PinnedPages);
        Assert.Equal(0, host.Process.PinCount(buffer + (4 * Page)));
        Assert.Equal(Errno.None, host.Destroy(ioasB));

        // Both devices reach IOAS A through its HWPT; detach and close give back everything.
        var user = host.Buffer(Page);
        Assert.Equal(Errno.None, vfioA.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Read, Iova, user, Page));
        Assert.Equal(Errno.None, vfioB.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Read, Iova, user, Page));
        Assert.Equal(Errno.None, vfioA.VfioDeviceDetachIommufdPt(VfioDeviceDetachFlags.None, 0));
        Assert.Equal(Errno.None, vfioB.VfioDeviceDetachIommufdPt(VfioDeviceDetachFlags.None, 0));
        Assert.Null(host.Object(hwptA));
        Assert.Equal(Errno.None, host.Process.Close(fdA));
        Assert.Equal(Errno.None, host.Process.Close(fdB));
        Iommufd.CtxPut(host.Ctx);
        Assert.Equal(Errno.None, host.Process.Close(host.Fd));
        host.AssertNoWarnings();
        Assert.Equal(0, host.Context.Objects.Count);
        Assert.Equal(0, host.Process.PinnedPages);
    }

    private static (int Fd, IIoctlFile File) BoundVfio(KapiHost host, PciDevice device)
    {
        var fd = host.Process.OpenVfioDevice(VfioPciDriver.Bind(device));
        var file = host.Process.File(fd);
        Assert.Equal(Errno.None, file.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, host.Fd, 0, out _));
        return (fd, file);
    }
}
