// Shape: a VMM opens the real VFIO cdev and starts a device self-test before binding it to the iommufd
// From: libvfn src/iommu/iommufd.c (vfio_get_device_fd), reordered
// Label: BUG
// Runtime: errno EINVAL
using IommuContracts.Linux;

public sealed class DeviceSelfTest
{
    public static Errno Run(string cdevPath, ulong scratchIova, ulong scratchVa)
    {
        var rc = LinuxVfioDeviceFile.Open(cdevPath, out var device);
        if (rc != Errno.None)
        {
            return rc;
        }

        using (device)
        {
            return device!.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Read, scratchIova, scratchVa, 64); //~ IOMMU0101
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => DeviceSelfTest.Run(lab.VfioNode().Path, 0x1000, lab.Process.Mmap(0x1000));
}
