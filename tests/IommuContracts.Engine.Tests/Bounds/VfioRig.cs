using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Bounds;

/// <summary>A PCI function behind a real-looking IOMMU (48-bit aperture), its VFIO cdev open and bound to the host's iommufd.</summary>
internal sealed class VfioRig
{
    public VfioRig(KapiHost? host = null)
    {
        Host = host ?? new KapiHost();
        Device = Host.AddBareDevice();
        Fd = Host.Process.OpenVfioDevice(VfioPciDriver.Bind(Device));
        Assert.Equal(Errno.None, Vfio.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, Host.Fd, 0, out _));
    }

    public KapiHost Host { get; }

    public PciDevice Device { get; }

    public int Fd { get; }

    public IIoctlFile Vfio => Host.Process.File(Fd);

    /// <summary>VFIO_DEVICE_ATTACH_IOMMUFD_PT.</summary>
    public Errno Attach(PageTableId pt) => Vfio.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, pt, 0, out _);
}
