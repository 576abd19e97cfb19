// Shape: an IOAS ID rebuilt from the device ID's raw value (both arrived as numbers from a management API)
// From: control planes passing object IDs around as plain integers
// Label: BUG
// Runtime: errno ENOENT

public static class RawIds
{
    public static Errno MapForDevice(SimulatedProcess process, SimulatedIoctlFile iommufd, VfioDeviceNode node, ulong vaddr)
    {
        var device = process.File(process.OpenVfioDevice(node));
        var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd.Fd, 0, out var devId);
        if (rc != Errno.None)
        {
            return rc;
        }

        var ioas = new IoasId(devId.Value); //~ IOMMU0105
        var iova = 0UL;
        return iommufd.IoasMap(IommuIoasMapFlags.Readable, ioas, vaddr, 0x1000, ref iova);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => RawIds.MapForDevice(lab.Process, lab.IommufdFile, lab.VfioNode(), lab.Process.Mmap(0x1000));
}
