// Shape: a static local function performs the bind and returns the idev through out; the enclosing method owns it
// From: C# code splitting a long probe into local steps
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class StepwiseProbe
{
    public Errno Probe(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = BindStep(ictx, pdev, out var idev);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"{pdev.Address}: {Iommufd.DeviceToId(idev!)}");
        Iommufd.DeviceUnbind(idev!);
        return Errno.None;

        static Errno BindStep(IommufdCtx ictx, PciDevice pdev, out IommufdDevice? idev)
            => Iommufd.DeviceBind(ictx, pdev, out idev, out _);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new StepwiseProbe().Probe(lab.Ctx, lab.Device());
}
