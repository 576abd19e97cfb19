using IommuContracts.Engine.Core;
using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Stress;

/// <summary>
/// Issue 11, E4: unbind against an ioctl that holds the device by ID. As in the kernel's iommufd_object_remove
/// with REMOVE_WAIT_SHORTTERM, the unbind first waits for lookups in flight and only then tests for the last
/// user, so it neither WARNs nor leaves the device (and, for a VFIO device, the whole context) behind. The
/// race is made deterministic with a user fault on the ioctl's own argument data: the ioctl stalls while it
/// holds the device, the unbind starts on another thread, and the ioctl resumes once the unbind is waiting.
/// </summary>
public class UnbindRaceTests
{
    private const ulong Page = SimulatedProcess.PageSize;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void Destroying_a_mock_device_while_HWPT_ALLOC_reads_its_data_waits_for_it_and_the_device_is_gone_after()
    {
        using var fixture = new IommufdFixture();
        var context = EngineProbe.Context(fixture.Process, fixture.Fd)!;
        var ioas = fixture.AllocIoas();
        Assert.Equal(Errno.None, fixture.MockDomain(ioas, out var stdev, out _, out var idev));
        var device = DeviceObject(context, idev);

        // struct iommu_hwpt_selftest { .iotlb = 0 } (MOCK_IOMMUPT_DEFAULT).
        var data = fixture.Process.Mmap(Page);
        BackgroundCall? destroy = null;
        fixture.Process.ArmUserFault(data, 8, () => destroy = StartAndAwaitBlocked(device, () => fixture.File.Destroy(stdev)));

        var allocated = fixture.HwptAlloc(idev, ioas, IommuHwptAllocFlags.None, IommuHwptDataType.Selftest, data, 8, out var hwpt);

        Assert.NotNull(destroy);
        Assert.Equal(Errno.None, destroy!.Join("the destroy of the mock device"));

        // HWPT_ALLOC held the device while it ran, so it completed; the device is gone after it, as in the kernel.
        Assert.Equal(Errno.None, allocated);
        Assert.Empty(fixture.Process.Kernel.Log.Warnings);
        Assert.DoesNotContain(context.Objects.Snapshot(), o => o.RawId == idev.Value);
        Assert.Equal(Errno.ENOENT, fixture.HwptAlloc(idev, ioas, IommuHwptAllocFlags.None, out _));
        uint length = 0;
        var type = IommuHwInfoType.Default;
        Assert.Equal(Errno.ENOENT, fixture.File.GetHwInfo(IommuHwInfoFlags.None, idev, 0, ref length, ref type, out _, out _));
        Assert.Equal(Errno.None, fixture.File.Destroy(hwpt));
    }

    [Fact]
    public void Closing_a_VFIO_device_fd_while_GET_HW_INFO_holds_the_device_releases_the_whole_context_on_close()
    {
        var host = new KapiHost();
        var pci = host.AddBareDevice();
        var vfioFd = host.Process.OpenVfioDevice(VfioPciDriver.Bind(pci));
        var vfio = host.Process.File(vfioFd);
        Assert.Equal(Errno.None, vfio.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, host.Fd, 0, out var idev));
        var ioas = host.AllocIoas();
        var buffer = host.Buffer(64 * Page, fill: 1);
        Assert.Equal(Errno.None, host.Map(ioas, buffer, 64 * Page, 0x4000_0000));
        Assert.Equal(Errno.None, vfio.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out _));
        Assert.Equal(64, host.Process.PinnedPages);
        var device = DeviceObject(host.Context, idev);

        // GET_HW_INFO zeroes the user buffer past the driver's (empty) data: that write stalls.
        var info = host.Process.Mmap(Page);
        BackgroundCall? close = null;
        host.Process.ArmUserFault(info, 16, () => close = StartAndAwaitBlocked(device, () => host.Process.Close(vfioFd)));

        uint length = 16;
        var type = IommuHwInfoType.Default;
        Assert.Equal(Errno.None, host.File.GetHwInfo(IommuHwInfoFlags.None, idev, info, ref length, ref type, out _, out _));
        Assert.NotNull(close);
        Assert.Equal(Errno.None, close!.Join("closing the VFIO device fd"));
        host.AssertNoWarnings();

        // The driver's context reference and the user's fd go; then nothing of the context may remain.
        Iommufd.CtxPut(host.Ctx);
        Assert.Equal(Errno.None, host.Process.Close(host.Fd));
        host.AssertNoWarnings();
        Assert.Equal(0, host.Context.Objects.Count);
        Assert.Equal(0, host.Process.PinnedPages);
        Assert.Equal(0, host.Process.PinCount(buffer));
        Assert.Null(EngineInspection.ReleasedDeviceProblem(pci));
    }

    private static Device DeviceObject(IommufdContext context, DeviceId id)
        => Assert.IsType<Device>(context.Objects.Snapshot().Single(o => o.RawId == id.Value));

    // Starts the destroying call on another thread and returns once it either finished or is waiting for the
    // short-term users of the device (its table bias gone: only the stalled ioctl's lookup is left).
    private static BackgroundCall StartAndAwaitBlocked(Device device, Func<Errno> destroy)
    {
        var call = new BackgroundCall(destroy);
        Assert.True(SpinWait.SpinUntil(() => call.IsFinished || device.ShortTermUsers == 1, Patience), "the destroy neither finished nor waited");
        return call;
    }
}
