// Shape: the real-backend VMM attaches its device, reads the ranges (the array helper), maps at a fixed IOVA from them
// From: QEMU iommufd_cdev_attach + iommufd_cdev_get_info_iova_range, on the real /dev/iommu
// Label: OK
// Runtime: clean
using IommuContracts.Linux;

public sealed class RealContainer : IDisposable
{
    private readonly LinuxIommufdFile _iommufd;
    private readonly LinuxVfioDeviceFile _device;

    public RealContainer(LinuxIommufdFile iommufd, LinuxVfioDeviceFile device)
    {
        _iommufd = iommufd;
        _device = device;
    }

    public Errno Attach(IoasId ioas, out ulong firstIova)
    {
        firstIova = 0;
        var rc = _device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, _iommufd.Fd, 0, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = _device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"device on {hwpt}");
        rc = _iommufd.IoasIovaRanges(ioas, out var ranges, out var alignment);
        if (rc != Errno.None || ranges.Length == 0)
        {
            return rc != Errno.None ? rc : Errno.ENOSPC;
        }

        var align = Math.Max(alignment, 0x1000UL);
        firstIova = (ranges[0].Start + align - 1) & ~(align - 1);
        return Errno.None;
    }

    public Errno MapFixed(IoasId ioas, ulong vaddr, ulong iova)
        => _iommufd.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.FixedIova, ioas, vaddr, 0x1000, ref iova);

    public void Dispose()
    {
        _device.Dispose();
        _iommufd.Dispose();
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = LinuxIommufdFile.Open(out var iommufd);
        if (rc != Errno.None) return rc;
        rc = LinuxVfioDeviceFile.Open(lab.VfioNode().Path, out var device);
        if (rc != Errno.None) { iommufd!.Dispose(); return rc; }
        using var container = new RealContainer(iommufd!, device!);
        rc = iommufd!.IoasAlloc(IommuIoasAllocFlags.None, out var ioas);
        if (rc != Errno.None) return rc;
        rc = container.Attach(ioas, out var first);
        return rc != Errno.None ? rc : container.MapFixed(ioas, lab.Process.Mmap(0x1000), first);
    }
}
