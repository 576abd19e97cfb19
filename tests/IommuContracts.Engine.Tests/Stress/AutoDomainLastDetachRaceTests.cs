using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;

namespace IommuContracts.Engine.Tests.Stress;

/// <summary>
/// Found by the device stress test (its invariant said an automatic HWPT never outlives its devices): a last detach
/// from an automatic HWPT while another device's attach to the same IOAS holds that HWPT to try it. Kernel 6.12
/// (device.c <c>iommufd_device_auto_get_domain</c>, main.c <c>iommufd_object_put_and_try_destroy</c>): the attach
/// holds a short-term reference while it tries the HWPT, so the detach's destroy gives up (-EBUSY) and the HWPT
/// keeps the table's reference; the try fails with EINVAL for a device behind another IOMMU, and its
/// <c>iommufd_put_object</c> does not destroy; the attach goes on with a HWPT of its own. The old HWPT stays, with
/// no device, until IOMMU_DESTROY or close. Played in that order every time: the attach stops after taking its
/// reference, the detach runs to its end, the attach goes on.
/// </summary>
public class AutoDomainLastDetachRaceTests
{
    private const ulong Page = KapiHost.PageSize;
    private const ulong Iova = 0x4000_0000;

    [Fact]
    public void A_last_detach_while_an_incompatible_device_tries_the_automatic_HWPT_leaves_it_for_IOMMU_DESTROY()
    {
        var host = new KapiHost();
        var device = host.AddDevice();
        var foreign = host.AddDevice(iommu: IommuInstance.RealLooking("dmar1"));
        var idev = host.Bind(device);
        var foreignIdev = host.Bind(foreign);
        var ioas = host.AllocIoas();
        var buffer = host.Buffer(4 * Page, fill: 0x22);
        Assert.Equal(Errno.None, host.Map(ioas, buffer, 4 * Page, Iova));
        var hwpt = host.Attach(idev, ioas);

        BackgroundCall? detach = null;
        host.Kernel.Interleavings.Arm(InterleavingPoint.AutoDomainTriesExisting, () =>
        {
            detach = BackgroundCall.StartAndAwaitFinishedOrBlocked(() =>
            {
                Iommufd.DeviceDetach(idev);
                return Errno.None;
            });
        });

        var foreignHwpt = host.Attach(foreignIdev, ioas);
        Assert.NotNull(detach);
        Assert.True(detach!.IsFinished, "the detach waited for the attach (it takes no IOAS lock in the kernel)");
        Assert.Equal(Errno.None, detach.Join("the last detach"));
        Assert.NotEqual(hwpt.Value, foreignHwpt.Value);
        Assert.Null(idev.AttachedHwpt);

        // The HWPT the device left is alive with the table's reference only, and no device on it.
        var left = host.HwptObject(hwpt);
        Assert.True(left.AutoDomain);
        Assert.Equal(1, left.Users);
        host.AssertNoWarnings();

        // IOMMU_DESTROY removes it as user space would; the device can attach again, to a new automatic HWPT (which
        // may get the freed ID back: the kernel's object table hands out the lowest free one).
        Assert.Equal(Errno.None, host.Destroy(hwpt));
        Assert.Null(host.Object(hwpt));
        var again = host.Attach(idev, ioas);
        Assert.NotSame(left, host.HwptObject(again));
        Assert.Equal(2, host.HwptObject(again).Users);

        Iommufd.DeviceDetach(idev);
        Iommufd.DeviceDetach(foreignIdev);
        Assert.Null(host.Object(again));
        Assert.Null(host.Object(foreignHwpt));
        Iommufd.DeviceUnbind(idev);
        Iommufd.DeviceUnbind(foreignIdev);
        Assert.Equal(Errno.None, host.Destroy(ioas));
        host.AssertNoWarnings();
        Assert.Equal(0, host.Process.PinnedPages);
    }
}
