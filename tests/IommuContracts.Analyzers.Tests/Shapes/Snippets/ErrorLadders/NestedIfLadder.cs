// Shape: nested success blocks instead of gotos: each step's resource released after the block that needed it
// From: kernel functions written with nested `if (!ret) { ... }` blocks
// Label: OK
// Runtime: clean

public sealed class StatusOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

[DriverManagedDma]
public sealed class SmartNic
{
    public Errno ReadStatus(IommufdCtx ictx, PciDevice pdev, IoasId ioas, ulong statusIova, byte[] status)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc == Errno.None)
        {
            rc = Iommufd.AccessCreate(ictx, new StatusOps(), out var access, out _);
            if (rc == Errno.None)
            {
                rc = Iommufd.AccessAttach(access!, ioas);
                if (rc == Errno.None)
                {
                    rc = Iommufd.AccessRw(access!, statusIova, status, AccessRwFlags.Read);
                    Iommufd.AccessDetach(access!);
                }

                Iommufd.AccessDestroy(access!);
            }

            Iommufd.DeviceUnbind(idev!);
        }

        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var va = lab.Process.Mmap(0x1000);
        var iova = 0UL;
        var rc = lab.IommufdFile.IoasMap(IommuIoasMapFlags.Readable, lab.Ioas, va, 0x1000, ref iova);
        if (rc != Errno.None) return rc;
        rc = new SmartNic().ReadStatus(lab.Ctx, lab.Device(), lab.Ioas, iova, new byte[8]);
        var length = 0x1000UL;
        var unmapped = lab.IommufdFile.IoasUnmap(lab.Ioas, iova, ref length);
        return rc != Errno.None ? rc : unmapped;
    }
}
