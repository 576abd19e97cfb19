// Shape: a VMM class opens /dev/iommu and the VFIO cdev in a factory, keeps both in fields, binds in Connect, maps guest RAM, disposes both
// From: cloud-hypervisor / alioth style VMM objects owning their fds (Iommu { fd }, Cdev { fd, ioas })
// Label: OK
// Runtime: clean
using IommuContracts.Linux;

public sealed class PassthroughVmm : IDisposable
{
    private readonly LinuxIommufdFile _iommufd;
    private readonly LinuxVfioDeviceFile _device;
    private DeviceId _devId;

    private PassthroughVmm(LinuxIommufdFile iommufd, LinuxVfioDeviceFile device)
    {
        _iommufd = iommufd;
        _device = device;
    }

    public static Errno Create(string cdevPath, out PassthroughVmm? vmm)
    {
        vmm = null;
        var rc = LinuxIommufdFile.Open(out var iommufd);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = LinuxVfioDeviceFile.Open(cdevPath, out var device);
        if (rc != Errno.None)
        {
            iommufd!.Dispose();
            return rc;
        }

        vmm = new PassthroughVmm(iommufd!, device!);
        return Errno.None;
    }

    public Errno Connect() => _device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, _iommufd.Fd, 0, out _devId);

    public Errno MapGuestRam(ulong vaddr, ulong size, out IoasId ioas, out ulong iova)
    {
        iova = 0;
        var rc = _iommufd.IoasAlloc(IommuIoasAllocFlags.None, out ioas);
        if (rc != Errno.None)
        {
            return rc;
        }

        return _iommufd.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, ioas, vaddr, size, ref iova);
    }

    public void Dispose()
    {
        _device.Dispose();
        _iommufd.Dispose();
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = PassthroughVmm.Create(lab.VfioNode().Path, out var vmm);
        if (rc != Errno.None) return rc;
        using (vmm!)
        {
            rc = vmm.Connect();
            if (rc != Errno.None) return rc;
            return vmm.MapGuestRam(lab.Process.Mmap(0x10000), 0x10000, out _, out _);
        }
    }
}
