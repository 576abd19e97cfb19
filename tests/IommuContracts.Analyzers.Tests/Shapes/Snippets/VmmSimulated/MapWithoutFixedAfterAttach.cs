// Shape: after the attach, guest memory is mapped without FIXED_IOVA: the kernel picks a usable IOVA, so stale ranges do not matter
// From: QEMU/libvfn paths that let the kernel allocate the IOVA
// Label: OK
// Runtime: clean

public static class KernelChosenIova
{
    public static Errno Assign(SimulatedProcess process, SimulatedIoctlFile iommufd, VfioDeviceNode node, IoasId ioas, out ulong iova)
    {
        iova = 0;
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

        Console.WriteLine($"on {hwpt}");
        rc = iommufd.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, ioas, process.Mmap(0x2000), 0x2000, ref iova);
        if (rc != Errno.None)
        {
            return rc;
        }

        return device.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Read, iova, process.Mmap(0x1000), 0x100);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => KernelChosenIova.Assign(lab.Process, lab.IommufdFile, lab.VfioNode(), lab.Ioas, out _);
}
