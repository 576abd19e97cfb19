// Shape: a real-backend VMM attaches its device and maps guest RAM at the guest-physical address with FIXED_IOVA, ranges never re-read
// From: alioth UpdateIommuIoas::ram_added after Cdev::attach_iommu_ioas, on the real files
// Label: BUG
// Runtime: errno EINVAL
using IommuContracts.Linux;

public static class RealIdentityMap
{
    public static Errno Start(string cdevPath, ulong gpa, ulong hostVa)
    {
        var rc = LinuxIommufdFile.Open(out var iommufd);
        if (rc != Errno.None)
        {
            return rc;
        }

        using (iommufd)
        {
            rc = LinuxVfioDeviceFile.Open(cdevPath, out var device);
            if (rc != Errno.None)
            {
                return rc;
            }

            using (device)
            {
                rc = device!.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd!.Fd, 0, out _);
                if (rc != Errno.None)
                {
                    return rc;
                }

                rc = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var ioas);
                if (rc != Errno.None)
                {
                    return rc;
                }

                rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt);
                if (rc != Errno.None)
                {
                    return rc;
                }

                Console.WriteLine($"on {hwpt}");
                var iova = gpa;
                return iommufd.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable | IommuIoasMapFlags.FixedIova, ioas, hostVa, 0x1000, ref iova); //~ IOMMU0103
            }
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => RealIdentityMap.Start(lab.VfioNode().Path, 0xFEE0_0000, lab.Process.Mmap(0x1000));
}
