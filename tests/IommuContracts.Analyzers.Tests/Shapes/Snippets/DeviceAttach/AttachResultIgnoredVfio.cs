// Shape: a VMM issues the VFIO attach as a bare statement and turns dirty tracking on for the HWPT it returned
// From: QEMU-style VMM code with the attach's error check dropped
// Label: BUG
// Runtime: errno ENOENT

public static class DirtyAttach
{
    public static Errno Start(SimulatedProcess process, SimulatedIoctlFile iommufd, VfioDeviceNode node, IoasId ioas)
    {
        var device = process.File(process.OpenVfioDevice(node));
        var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd.Fd, 0, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt); //~ IOMMU0003
        return iommufd.HwptSetDirtyTracking(IommuHwptDirtyTrackingFlags.Enable, hwpt);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => DirtyAttach.Start(lab.Process, lab.IommufdFile, lab.VfioNode(), new IoasId(4242));
}
