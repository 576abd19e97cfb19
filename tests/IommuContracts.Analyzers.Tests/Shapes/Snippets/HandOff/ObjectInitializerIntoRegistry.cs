// Shape: the idev stored with an object initializer into a record kept in the driver's registry; remove walks the registry
// From: per-device state structs (struct vfio_pci_core_device) filled at open
// Label: OK
// Runtime: clean
using System.Collections.Generic;

public sealed class FunctionState
{
    public IommufdDevice? Idev { get; init; }

    public DeviceId Id { get; init; }

    public PciAddress Address { get; init; }
}

[DriverManagedDma]
public sealed class FunctionRegistry
{
    private readonly List<FunctionState> _functions = new();

    public Errno Add(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out var id);
        if (rc != Errno.None)
        {
            return rc;
        }

        _functions.Add(new FunctionState { Idev = idev, Id = id, Address = pdev.Address });
        return Errno.None;
    }

    public void RemoveAll()
    {
        foreach (var function in _functions)
        {
            if (function.Idev is { } idev)
            {
                Iommufd.DeviceUnbind(idev);
            }
        }

        _functions.Clear();
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var registry = new FunctionRegistry();
        var rc = registry.Add(lab.Ctx, lab.Device());
        if (rc == Errno.None) rc = registry.Add(lab.Ctx, lab.Device());
        registry.RemoveAll();
        return rc;
    }
}
