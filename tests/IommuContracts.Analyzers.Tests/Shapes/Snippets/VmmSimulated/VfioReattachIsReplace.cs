// Shape: VFIO_DEVICE_ATTACH_IOMMUFD_PT issued twice (the second moves the device: the uAPI replaces when attached)
// From: QEMU vfio-iommufd moving a device between containers; the cdev ATTACH is also the replace
// Label: OK
// Runtime: clean

public static class ContainerMove
{
    public static Errno Move(SimulatedProcess process, SimulatedIoctlFile iommufd, VfioDeviceNode node, IoasId from, IoasId to)
    {
        var device = process.File(process.OpenVfioDevice(node));
        var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd.Fd, 0, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, from, 0, out var first);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, to, 0, out var second);
        Console.WriteLine($"{first} -> {second}");
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = lab.IommufdFile.IoasAlloc(IommuIoasAllocFlags.None, out var to);
        return rc != Errno.None ? rc : ContainerMove.Move(lab.Process, lab.IommufdFile, lab.VfioNode(), lab.Ioas, to);
    }
}
