// Shape: a probe tool opens both real files with `using`, binds the device and asks iommufd for its capabilities
// From: QEMU iommufd_cdev_connect_and_bind + iommufd_backend_get_device_info; libvfn vfio_get_device_fd
// Label: OK
// Runtime: clean
using IommuContracts.Linux;

public static class CapabilityProbe
{
    public static Errno Probe(string cdevPath, out IommuHwCapabilities caps)
    {
        caps = default;
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
                rc = device!.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd!.Fd, 0, out var devId);
                if (rc != Errno.None)
                {
                    return rc;
                }

                uint length = 0;
                var type = IommuHwInfoType.Default;
                return iommufd.GetHwInfo(IommuHwInfoFlags.None, devId, 0, ref length, ref type, out _, out caps);
            }
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => CapabilityProbe.Probe(lab.VfioNode().Path, out _);
}
