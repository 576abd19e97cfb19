// Shape: the same downgrade with its justification attribute on the method, as the rule page asks
// From: lab hosts documented as trusted
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class TrustedLab
{
    [SecurityDowngradeJustified("isolated lab host without interrupt remapping; only the vendor's test cards are assigned")]
    public Errno AssignTestCard(SimulatedKernel kernel, IommufdCtx ictx, PciDevice card)
    {
        kernel.AllowUnsafeInterrupts = true;
        var rc = Iommufd.DeviceBind(ictx, card, out var idev, out _);
        if (rc == Errno.None)
        {
            Iommufd.DeviceUnbind(idev!);
        }

        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new TrustedLab().AssignTestCard(lab.Kernel, lab.Ctx, lab.Device(msiIsolation: false));
}
