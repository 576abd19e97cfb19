// Shape: bind the cdev, allocate an IOAS, attach, read the IOVA ranges after the attach, map at a fixed IOVA from them, let the device DMA
// From: libvfn src/iommu/iommufd.c vfio_get_device_fd (bind, IOAS_ALLOC, ATTACH, vfio_configure_iommu, vfio_do_map_dma)
// Label: OK
// Runtime: clean

public sealed class VfnContainer
{
    private readonly SimulatedProcess _process;
    private readonly SimulatedIoctlFile _iommufd;

    public VfnContainer(SimulatedProcess process, SimulatedIoctlFile iommufd)
    {
        _process = process;
        _iommufd = iommufd;
    }

    public IoasId Ioas { get; private set; }

    public ulong FirstIova { get; private set; }

    public Errno GetDevice(VfioDeviceNode node, out SimulatedIoctlFile? device)
    {
        device = _process.File(_process.OpenVfioDevice(node));
        var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, _iommufd.Fd, 0, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = _iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var ioas);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"attached to {hwpt}");
        Ioas = ioas;
        return ConfigureIommu();
    }

    public Errno MapDma(ulong vaddr, ulong length, ulong iova)
        => _iommufd.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable | IommuIoasMapFlags.FixedIova, Ioas, vaddr, length, ref iova);

    private Errno ConfigureIommu()
    {
        var ranges = _process.Mmap(0x1000);
        uint count = 16;
        var rc = _iommufd.IoasIovaRanges(Ioas, ranges, ref count, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Span<byte> first = stackalloc byte[8];
        rc = _process.Read(ranges, first);
        FirstIova = (BitConverter.ToUInt64(first) + 0xFFFUL) & ~0xFFFUL;
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var container = new VfnContainer(lab.Process, lab.IommufdFile);
        var rc = container.GetDevice(lab.VfioNode(), out var device);
        if (rc != Errno.None) return rc;
        var ram = lab.Process.Mmap(0x1000);
        rc = container.MapDma(ram, 0x1000, container.FirstIova);
        if (rc != Errno.None) return rc;
        return device!.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Read, container.FirstIova, lab.Process.Mmap(0x1000), 64);
    }
}
