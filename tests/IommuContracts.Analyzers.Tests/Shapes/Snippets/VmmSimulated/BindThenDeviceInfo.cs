// Shape: bind the VFIO cdev, then ask iommufd for the device's IOMMU capabilities by its device ID (before any attach)
// From: QEMU iommufd_cdev_connect_and_bind + iommufd_backend_get_device_info
// Label: OK
// Runtime: clean

public static class DeviceCaps
{
    public static Errno Query(SimulatedProcess process, SimulatedIoctlFile iommufd, VfioDeviceNode node, out IommuHwCapabilities caps)
    {
        caps = default;
        var device = process.File(process.OpenVfioDevice(node));
        var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd.Fd, 0, out var devId);
        if (rc != Errno.None)
        {
            return rc;
        }

        uint dataLength = 0;
        var type = IommuHwInfoType.Default;
        rc = iommufd.GetHwInfo(IommuHwInfoFlags.None, devId, 0, ref dataLength, ref type, out _, out caps);
        Console.WriteLine($"device {devId}: type {type}, {dataLength} bytes of data, caps {caps}");
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => DeviceCaps.Query(lab.Process, lab.IommufdFile, lab.VfioNode(), out _);
}
