// Shape: bind, then a validation that throws; the throw leaves the method with the device still bound
// From: managed device managers that signal configuration errors with exceptions
// Label: BUG
// Runtime: leak

[DriverManagedDma]
public sealed class AssignmentService
{
    public DeviceId Assign(IommufdCtx ictx, PciDevice pdev, int requestedQueues)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out var id); //~ IOMMU0058
        if (rc != Errno.None)
        {
            throw new InvalidOperationException($"bind of {pdev.Address} failed: {rc}");
        }

        if (requestedQueues > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(requestedQueues), "the function has 64 queues");
        }

        Console.WriteLine($"{pdev.Address}: {requestedQueues} queues");
        Iommufd.DeviceUnbind(idev!);
        return id;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        try
        {
            new AssignmentService().Assign(lab.Ctx, lab.Device(), 128);
        }
        catch (ArgumentOutOfRangeException)
        {
        }

        return Errno.None;
    }
}
