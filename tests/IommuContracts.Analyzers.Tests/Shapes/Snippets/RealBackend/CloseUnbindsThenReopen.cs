// Shape: closing the device fd unbinds it ("closing devfd will automatically unbind it"), so a reset path closes, reopens and binds again
// From: libvfn src/iommu/iommufd.c (close_dev), QEMU iommufd_cdev_unbind_and_disconnect
// Label: OK
// Runtime: clean
using IommuContracts.Linux;

public static class DeviceReset
{
    public static Errno RebindTwice(LinuxIommufdFile iommufd, string cdevPath)
    {
        for (var round = 0; round < 2; round++)
        {
            var rc = LinuxVfioDeviceFile.Open(cdevPath, out var device);
            if (rc != Errno.None)
            {
                return rc;
            }

            using (device)
            {
                rc = device!.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd.Fd, 0, out var devId);
                if (rc != Errno.None)
                {
                    return rc;
                }

                Console.WriteLine($"round {round}: device {devId}");
            }
        }

        return Errno.None;
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
            return DeviceReset.RebindTwice(iommufd!, lab.VfioNode().Path);
        }
    }
}
