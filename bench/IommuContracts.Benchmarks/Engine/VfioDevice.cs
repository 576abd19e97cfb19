using IommuContracts.Uapi;

namespace IommuContracts.Benchmarks.Engine;

/// <summary>An open VFIO device cdev already bound to iommufd: attach and detach through its ioctls, as a VMM does.</summary>
internal sealed class VfioDevice
{
    public VfioDevice(IIoctlFile file) => File = file;

    public IIoctlFile File { get; }

    /// <summary>VFIO_DEVICE_ATTACH_IOMMUFD_PT to an IOAS: the engine finds or creates an automatic domain; returns its HWPT.</summary>
    public Errno Attach(IoasId ioas, out HwptId hwpt)
        => File.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out hwpt);

    public Errno Detach() => File.VfioDeviceDetachIommufdPt(VfioDeviceDetachFlags.None, 0);

    /// <summary>Setup-time attach: throws on failure.</summary>
    public HwptId AttachOrThrow(IoasId ioas)
    {
        SetupCheck.Ok(Attach(ioas, out var hwpt), "VFIO_DEVICE_ATTACH_IOMMUFD_PT");
        SetupCheck.Require(hwpt.Value != ioas.Value, "VFIO_DEVICE_ATTACH_IOMMUFD_PT did not report the automatic HWPT");
        return hwpt;
    }
}
