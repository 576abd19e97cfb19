// Shape: an async teardown unbinds, awaits a drain, then logs the device ID through the dead idev
// From: async remove paths that log after releasing
// Label: BUG
// Runtime: violation IOMMU0002
using System.Threading.Tasks;

[DriverManagedDma]
public sealed class AsyncTeardown
{
    public async Task<Errno> CycleAsync(IommufdCtx ictx, PciDevice pdev)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Iommufd.DeviceUnbind(idev!);
        await Task.Delay(1);
        Console.WriteLine($"released device {Iommufd.DeviceToId(idev!)}"); //~ IOMMU0002
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new AsyncTeardown().CycleAsync(lab.Ctx, lab.Device()).GetAwaiter().GetResult();
}
