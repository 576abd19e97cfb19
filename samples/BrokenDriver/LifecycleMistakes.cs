using IommuContracts;
using IommuContracts.Contracts;
using IommuContracts.Engine.Kapi;

namespace BrokenDriver;

/// <summary>
/// Driver helpers that declare the state they expect of the device, and then do the wrong thing with it:
/// each method is one bind / attach / detach / unbind mistake (K5–K9 of the kernel's contracts).
/// </summary>
[DriverManagedDma]
public static class LifecycleMistakes
{
    public static void UnbindAttached([RequiresState("Attached")] IommufdDevice idev)
        => Iommufd.DeviceUnbind(idev); // IOMMU0004

    public static void UnbindMaybeAttached([RequiresState("Bound", "Attached")] IommufdDevice idev)
        => Iommufd.DeviceUnbind(idev); // IOMMU0054

    public static Errno AttachAttached([RequiresState("Attached")] IommufdDevice idev, IoasId ioas)
    {
        var rc = Iommufd.DeviceAttach(idev, ioas, out var hwpt); // IOMMU0005
        Console.WriteLine(hwpt);
        return rc;
    }

    public static Errno AttachMaybeAttached([RequiresState("Bound", "Attached")] IommufdDevice idev, IoasId ioas)
    {
        var rc = Iommufd.DeviceAttach(idev, ioas, out var hwpt); // IOMMU0055
        Console.WriteLine(hwpt);
        return rc;
    }

    public static Errno ReplaceNeverAttached([RequiresState("Bound")] IommufdDevice idev, IoasId ioas)
    {
        var rc = Iommufd.DeviceReplace(idev, ioas, out var hwpt); // IOMMU0006
        Console.WriteLine(hwpt);
        return rc;
    }

    public static Errno ReplaceMaybeAttached([RequiresState("Bound", "Attached")] IommufdDevice idev, IoasId ioas)
    {
        var rc = Iommufd.DeviceReplace(idev, ioas, out var hwpt); // IOMMU0056
        Console.WriteLine(hwpt);
        return rc;
    }

    public static void DetachNeverAttached([RequiresState("Bound")] IommufdDevice idev)
        => Iommufd.DeviceDetach(idev); // IOMMU0007

    public static void DetachMaybeAttached([RequiresState("Bound", "Attached")] IommufdDevice idev)
        => Iommufd.DeviceDetach(idev); // IOMMU0057

    public static DeviceId IdAfterUnbind([RequiresState("Bound")] IommufdDevice idev)
    {
        Iommufd.DeviceUnbind(idev);
        return Iommufd.DeviceToId(idev); // IOMMU0002
    }

    public static DeviceId IdAfterMaybeUnbind([RequiresState("Bound")] IommufdDevice idev, bool done)
    {
        if (done)
        {
            Iommufd.DeviceUnbind(idev);
        }

        return Iommufd.DeviceToId(idev); // IOMMU0052
    }

    // An opt-out without a reason opts nothing out: this (correct) unbind is still analysed.
    [SuppressContractAnalysis("")] // IOMMU0018
    public static void UnbindBound([RequiresState("Bound")] IommufdDevice idev)
        => Iommufd.DeviceUnbind(idev);
}
