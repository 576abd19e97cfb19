using IommuContracts;
using IommuContracts.Contracts;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;

namespace BrokenDriver;

/// <summary>Bindings that are never released, or not on the error path, and results never checked (K1, K4).</summary>
[DriverManagedDma]
public sealed class LeakyDriver
{
    private IommufdDevice? _forgotten; // IOMMU0017

    public Errno ProbeAndForget(IommufdCtx ctx, PciDevice dev)
    {
        var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _); // IOMMU0008
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine(Iommufd.DeviceToId(idev!));
        return Errno.None;
    }

    public Errno ProbeWithErrorPathLeak(IommufdCtx ctx, PciDevice dev, IoasId ioas)
    {
        var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _); // IOMMU0058
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine(hwpt);
        Iommufd.DeviceDetach(idev!);
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }

    public Errno KeepForever(IommufdCtx ctx, PciDevice dev) => Iommufd.DeviceBind(ctx, dev, out _forgotten, out _);

    public void AttachWithoutLooking(IommufdDevice idev, IoasId ioas)
    {
        Iommufd.DeviceAttach(idev, ioas, out var hwpt); // IOMMU0003
        Console.WriteLine(hwpt);
    }
}
