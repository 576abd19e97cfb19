// Shape: a VMM skips the bind on an "already bound" hint it got from a management layer, then runs the DMA self-test
// From: QEMU's cpr_is_incoming() skip_bind path, on the real cdev
// Label: BUG
// Runtime: errno EINVAL
using IommuContracts.Linux;

public static class HintedBringUp
{
    public static Errno Start(LinuxIommufdFile iommufd, string cdevPath, bool alreadyBound, ulong scratchVa)
    {
        var rc = LinuxVfioDeviceFile.Open(cdevPath, out var device);
        if (rc != Errno.None)
        {
            return rc;
        }

        using (device)
        {
            if (!alreadyBound)
            {
                rc = device!.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd.Fd, 0, out _);
                if (rc != Errno.None)
                {
                    return rc;
                }
            }

            return device!.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Read, 0x1000, scratchVa, 64); //~ IOMMU0151
        }
    }
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
            return HintedBringUp.Start(iommufd!, lab.VfioNode().Path, alreadyBound: true, lab.Process.Mmap(0x1000));
        }
    }
}
