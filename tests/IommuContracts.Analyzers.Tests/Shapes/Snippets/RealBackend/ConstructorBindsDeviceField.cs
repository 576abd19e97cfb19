// Shape: a real-backend device class binds in its constructor (throwing on failure), so every member sees a bound device
// From: Rust VMMs' VfioDevice::new(...)? style constructors that bind before returning the object
// Label: OK
// Runtime: clean
using IommuContracts.Linux;

public sealed class BoundCdev : IDisposable
{
    private readonly LinuxVfioDeviceFile _device;

    public BoundCdev(LinuxVfioDeviceFile device, LinuxIommufdFile iommufd)
    {
        var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd.Fd, 0, out var devId);
        if (rc != Errno.None)
        {
            throw new InvalidOperationException($"VFIO_DEVICE_BIND_IOMMUFD: {rc}");
        }

        _device = device;
        DeviceId = devId;
    }

    public DeviceId DeviceId { get; }

    public Errno AttachTo(IoasId ioas, out HwptId hwpt) => _device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out hwpt);

    public Errno Detach() => _device.VfioDeviceDetachIommufdPt(VfioDeviceDetachFlags.None, 0);

    public void Dispose() => _device.Dispose();
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = LinuxIommufdFile.Open(out var iommufd);
        if (rc != Errno.None) return rc;
        using (iommufd)
        {
            rc = LinuxVfioDeviceFile.Open(lab.VfioNode().Path, out var file);
            if (rc != Errno.None) return rc;
            using var device = new BoundCdev(file!, iommufd!);
            rc = iommufd!.IoasAlloc(IommuIoasAllocFlags.None, out var ioas);
            if (rc == Errno.None) rc = device.AttachTo(ioas, out var hwpt);
            return rc != Errno.None ? rc : device.Detach();
        }
    }
}
