// Shape: a generic "value or throw" helper turns (Errno, output) into the output; the caller owns what it returns
// From: managed wrappers converting errno into exceptions
// Label: OK
// Runtime: clean

public static class Checked
{
    public static T OrThrow<T>(Errno rc, T value, string what)
        => rc == Errno.None ? value : throw new InvalidOperationException($"{what} failed: {rc}");
}

[DriverManagedDma]
public sealed class ThrowingDriver
{
    public void Cycle(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        var bound = Checked.OrThrow(rc, idev!, "iommufd_device_bind");
        Console.WriteLine(Iommufd.DeviceToId(bound));
        Iommufd.DeviceUnbind(bound);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var driver = new ThrowingDriver();
        driver.Cycle(lab.Ctx, lab.Device());
        try
        {
            driver.Cycle(lab.Ctx, lab.Device(driver: DeviceDriverKind.DmaApi));
            return Errno.EINVAL;
        }
        catch (InvalidOperationException)
        {
            return Errno.None;
        }
    }
}
