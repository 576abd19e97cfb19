// Shape: a host keeps unsafe interrupts off explicitly and reports the EPERM for a card it cannot isolate
// From: the secure default of the module parameter
// Label: OK
// Runtime: clean EPERM

[DriverManagedDma]
public sealed class SecureHost
{
    public Errno TryAssign(SimulatedKernel kernel, IommufdCtx ictx, PciDevice card)
    {
        kernel.AllowUnsafeInterrupts = false;
        var rc = Iommufd.DeviceBind(ictx, card, out var idev, out _);
        if (rc != Errno.None)
        {
            Console.WriteLine($"{card.Address}: cannot isolate MSIs ({rc}); not assigned");
            return rc;
        }

        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new SecureHost().TryAssign(lab.Kernel, lab.Ctx, lab.Device(msiIsolation: false));
}
