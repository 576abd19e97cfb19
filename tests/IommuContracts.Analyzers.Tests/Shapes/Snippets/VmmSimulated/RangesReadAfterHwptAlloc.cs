// Shape: allocate a HWPT for the device (which may narrow the IOAS), re-read the ranges, then map at a fixed IOVA from them
// From: QEMU iommufd_cdev_autodomains_get (iommufd_backend_alloc_hwpt) and iommufd_cdev_get_info_iova_range
// Label: OK
// Runtime: clean

public static class DomainSetup
{
    public static Errno Setup(SimulatedProcess process, SimulatedIoctlFile iommufd, VfioDeviceNode node, IoasId ioas)
    {
        var device = process.File(process.OpenVfioDevice(node));
        var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd.Fd, 0, out var devId);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = iommufd.HwptAlloc(IommuHwptAllocFlags.None, devId, ioas, IommuHwptDataType.None, 0, 0, default, out var hwpt);
        if (rc != Errno.None)
        {
            return rc;
        }

        var rangesVa = process.Mmap(0x1000);
        uint count = 16;
        rc = iommufd.IoasIovaRanges(ioas, rangesVa, ref count, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Span<byte> first = stackalloc byte[8];
        rc = process.Read(rangesVa, first);
        if (rc != Errno.None)
        {
            return rc;
        }

        var iova = (BitConverter.ToUInt64(first) + 0xFFFUL) & ~0xFFFUL;
        rc = iommufd.IoasMap(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable, ioas, process.Mmap(0x1000), 0x1000, ref iova);
        var destroyed = iommufd.Destroy(hwpt);
        return rc != Errno.None ? rc : destroyed;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => DomainSetup.Setup(lab.Process, lab.IommufdFile, lab.VfioNode(), lab.Ioas);
}
