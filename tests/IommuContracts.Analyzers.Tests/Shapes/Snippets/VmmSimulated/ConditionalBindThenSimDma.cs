// Shape: the bind is skipped when the device "was already set up" (a CPR/live-update flag), and the DMA test runs on both paths
// From: QEMU iommufd_cdev_connect_and_bind (cpr_is_incoming() skips the bind)
// Label: BUG
// Runtime: errno EINVAL

public static class IncomingMigration
{
    public static Errno Resume(SimulatedProcess process, VfioDeviceNode node, int iommufd, bool incoming, ulong scratch)
    {
        var device = process.File(process.OpenVfioDevice(node));
        if (!incoming)
        {
            var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd, 0, out var devId);
            if (rc != Errno.None)
            {
                return rc;
            }

            Console.WriteLine($"bound as {devId}");
        }

        return device.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Read, 0x1000, scratch, 64); //~ IOMMU0151
    }
}

// ---- scenario ----
public static class Scenario
{
    // A fresh process after live update: the fd is new, so nothing is bound although the flag says incoming.
    public static Errno Run(TwinLab lab) => IncomingMigration.Resume(lab.Process, lab.VfioNode(), lab.Fd, incoming: true, lab.Process.Mmap(0x1000));
}
