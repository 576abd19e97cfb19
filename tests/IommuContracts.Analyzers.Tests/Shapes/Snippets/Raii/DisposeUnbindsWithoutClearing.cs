// Shape: Dispose unbinds the field but never clears it; Close and using both end up in Dispose
// From: a dispose pattern missing its "already disposed" guard
// Label: BUG
// Runtime: violation IOMMU0002

[DriverManagedDma]
public sealed class SriovVf : IDisposable
{
    private IommufdDevice? _idev;

    public Errno Enable(IommufdCtx ictx, PciDevice vf) => Iommufd.DeviceBind(ictx, vf, out _idev, out _);

    public void Close() => Dispose();

    public void Dispose()
    {
        if (_idev is not null)
        {
            Iommufd.DeviceUnbind(_idev); //~ IOMMU0052|IOMMU0002
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        using var vf = new SriovVf();
        var rc = vf.Enable(lab.Ctx, lab.Device());
        vf.Close();
        return rc;
    }
}
