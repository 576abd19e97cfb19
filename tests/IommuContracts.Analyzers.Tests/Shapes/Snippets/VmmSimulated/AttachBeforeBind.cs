// Shape: a VMM attaches the cdev to its IOAS before binding it to the iommufd (steps swapped in a refactor)
// From: libvfn vfio_get_device_fd with BIND and ATTACH reordered
// Label: BUG
// Runtime: errno EINVAL

public static class SwappedSteps
{
    public static Errno Assign(SimulatedProcess process, SimulatedIoctlFile iommufd, VfioDeviceNode node, IoasId ioas)
    {
        var device = process.File(process.OpenVfioDevice(node));
        var rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt); //~ IOMMU0101
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine(hwpt);
        return device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd.Fd, 0, out _);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => SwappedSteps.Assign(lab.Process, lab.IommufdFile, lab.VfioNode(), lab.Ioas);
}
