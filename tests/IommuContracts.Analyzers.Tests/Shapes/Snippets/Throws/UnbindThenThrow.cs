// Shape: the failure path unbinds before it throws; the success path hands the idev to the caller
// From: constructors/factories that turn errno into exceptions
// Label: OK
// Runtime: clean

[DriverManagedDma]
public sealed class GpuPartition
{
    private GpuPartition(IommufdDevice idev, int slices)
    {
        Idev = idev;
        Slices = slices;
    }

    public IommufdDevice Idev { get; }

    public int Slices { get; }

    public static GpuPartition Create(IommufdCtx ictx, PciDevice pdev, int slices)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            throw new InvalidOperationException($"bind failed: {rc}");
        }

        if (slices is < 1 or > 8)
        {
            Iommufd.DeviceUnbind(idev!);
            throw new ArgumentOutOfRangeException(nameof(slices));
        }

        return new GpuPartition(idev!, slices);
    }

    public void Destroy() => Iommufd.DeviceUnbind(Idev);
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        try
        {
            GpuPartition.Create(lab.Ctx, lab.Device(), 9);
            return Errno.EINVAL;
        }
        catch (ArgumentOutOfRangeException)
        {
        }

        var partition = GpuPartition.Create(lab.Ctx, lab.Device(), 2);
        partition.Destroy();
        return Errno.None;
    }
}
