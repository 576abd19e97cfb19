// Shape: ranges read after the attach stay usable after a detach (a detach only removes reserved regions), so a fixed map after the detach is safe
// From: QEMU hot-unplug of one device while the container keeps mapping guest RAM at IOVAs from its stored ranges
// Label: OK
// Runtime: clean

public sealed class HotUnplugContainer
{
    public Errno UnplugThenMap(SimulatedProcess process, SimulatedIoctlFile iommufd, VfioDeviceNode node, IoasId ioas)
    {
        var device = process.File(process.OpenVfioDevice(node));
        var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd.Fd, 0, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt);
        if (rc != Errno.None)
        {
            return rc;
        }

        var ranges = process.Mmap(0x1000);
        uint count = 16;
        rc = iommufd.IoasIovaRanges(ioas, ranges, ref count, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Span<byte> first = stackalloc byte[8];
        rc = process.Read(ranges, first);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"unplugging the device from {hwpt}");
        rc = device.VfioDeviceDetachIommufdPt(VfioDeviceDetachFlags.None, 0);
        if (rc != Errno.None)
        {
            return rc;
        }

        const IommuIoasMapFlags Flags = IommuIoasMapFlags.Readable | IommuIoasMapFlags.FixedIova;
        var iova = (BitConverter.ToUInt64(first) + 0xFFFUL) & ~0xFFFUL;
        return iommufd.IoasMap(Flags, ioas, process.Mmap(0x1000), 0x1000, ref iova);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new HotUnplugContainer().UnplugThenMap(lab.Process, lab.IommufdFile, lab.VfioNode(), lab.Ioas);
}
