// Shape: while the device is bound and attached, switch expressions turn a mode and the attach result into values
// (one with a discard arm, one over every enum member without it); the device is detached and unbound after
// From: VMMs that map a guest memory kind or an errno to a setting in a switch expression mid-setup
// Label: OK
// Runtime: clean

public enum GuestMemoryKind
{
    Ram,
    Rom,
}

[DriverManagedDma]
public sealed class Passthrough
{
    public Errno Setup(IommufdCtx ictx, PciDevice pdev, IoasId ioas, GuestMemoryKind kind)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
        var outcome = rc switch
        {
            Errno.None => "attached",
            Errno.EBUSY => "busy",
            _ => "failed",
        };
        Console.WriteLine($"{pdev.Address}: {outcome}");
        if (rc != Errno.None)
        {
            Iommufd.DeviceUnbind(idev!);
            return rc;
        }

        var writable = kind switch
        {
            GuestMemoryKind.Ram => true,
            GuestMemoryKind.Rom => false,
        };
        Console.WriteLine($"{hwpt}: {(writable ? "rw" : "ro")}");
        Iommufd.DeviceDetach(idev!);
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new Passthrough().Setup(lab.Ctx, lab.Device(), lab.Ioas, GuestMemoryKind.Rom);
}
