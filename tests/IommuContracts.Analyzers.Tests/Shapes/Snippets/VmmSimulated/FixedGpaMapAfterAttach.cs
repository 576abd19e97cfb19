// Shape: guest RAM mapped at its guest-physical address (FIXED_IOVA) right after the device was attached, without reading the ranges
// From: alioth src/vfio/iommu.rs (Ioas::map with FIXED_IOVA at the gpa) after cdev.rs attach_iommu_ioas
// Label: BUG
// Runtime: errno EINVAL

public sealed class IdentityMappedGuest
{
    public Errno Start(SimulatedProcess process, SimulatedIoctlFile iommufd, VfioDeviceNode node, IoasId ioas, ulong gpa, ulong hostVa)
    {
        var device = process.File(process.OpenVfioDevice(node));
        var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd.Fd, 0, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"device on {hwpt}");
        const IommuIoasMapFlags Flags = IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable | IommuIoasMapFlags.FixedIova;
        var iova = gpa;
        return iommufd.IoasMap(Flags, ioas, hostVa, 0x1000, ref iova); //~ IOMMU0103
    }
}

// ---- scenario ----
public static class Scenario
{
    // The guest put a RAM page where the device's MSI window is reserved (0xFEE00000).
    public static Errno Run(TwinLab lab) => new IdentityMappedGuest().Start(lab.Process, lab.IommufdFile, lab.VfioNode(), lab.Ioas, 0xFEE0_0000, lab.Process.Mmap(0x1000));
}
