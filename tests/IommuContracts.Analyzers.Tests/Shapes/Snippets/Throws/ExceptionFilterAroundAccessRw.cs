// Shape: a catch with an exception filter around guest-memory parsing; the access is destroyed on every path
// From: emulated devices parsing descriptors read with iommufd_access_rw
// Label: OK
// Runtime: clean

public sealed class DescriptorOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public sealed class DescriptorReader
{
    public Errno ReadDescriptor(IommufdCtx ictx, IoasId ioas, ulong iova, out int length)
    {
        length = 0;
        var rc = Iommufd.AccessCreate(ictx, new DescriptorOps(), out var access, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        rc = Iommufd.AccessAttach(access!, ioas);
        if (rc != Errno.None)
        {
            Iommufd.AccessDestroy(access!);
            return rc;
        }

        var raw = new byte[4];
        rc = Iommufd.AccessRw(access!, iova, raw, AccessRwFlags.Read);
        try
        {
            length = rc == Errno.None ? Parse(raw) : 0;
        }
        catch (FormatException e) when (e.Message.Contains("length", StringComparison.Ordinal))
        {
            rc = Errno.EINVAL;
        }

        Iommufd.AccessDetach(access!);
        Iommufd.AccessDestroy(access!);
        return rc;
    }

    private static int Parse(byte[] raw)
    {
        var value = BitConverter.ToInt32(raw);
        return value >= 0 ? value : throw new FormatException("negative length");
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
        rc = new DescriptorReader().ReadDescriptor(lab.Ctx, lab.Ioas, iova, out var length);
        var unmapLength = 0x1000UL;
        var unmapped = lab.IommufdFile.IoasUnmap(lab.Ioas, iova, ref unmapLength);
        return rc != Errno.None ? rc : length != 0 ? Errno.EINVAL : unmapped;
    }
}
