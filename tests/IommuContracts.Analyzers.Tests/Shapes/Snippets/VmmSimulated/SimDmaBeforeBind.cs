// Shape: a VMM opens the simulated VFIO cdev and kicks a DMA self-test before binding it
// From: device bring-up order bugs (bind must come first on a VFIO cdev)
// Label: BUG
// Runtime: errno EINVAL

public static class BringUp
{
    public static Errno SelfTest(SimulatedProcess process, VfioDeviceNode node, int iommufd, ulong scratch)
    {
        var device = process.File(process.OpenVfioDevice(node));
        var rc = device.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Read, 0x1000, scratch, 64); //~ IOMMU0101
        if (rc != Errno.None)
        {
            return rc;
        }

        return device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd, 0, out _);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => BringUp.SelfTest(lab.Process, lab.VfioNode(), lab.Fd, lab.Process.Mmap(0x1000));
}
