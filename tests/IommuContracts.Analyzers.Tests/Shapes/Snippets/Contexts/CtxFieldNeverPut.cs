// Shape: a file object stores the context reference at bind and its release forgets it
// From: a release path missing iommufd_ctx_put
// Label: BUG
// Runtime: leak

public sealed class LeakyCdevFile
{
    private IommufdCtx? _iommufd; //~ IOMMU0017
    private bool _open;

    public Errno BindIommufd(SimulatedProcess process, int fd)
    {
        var rc = Iommufd.CtxFromFd(process, fd, out _iommufd);
        _open = rc == Errno.None;
        return rc;
    }

    public void Release()
    {
        _open = false;
        Console.WriteLine($"released, open {_open}");
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var file = new LeakyCdevFile();
        var rc = file.BindIommufd(lab.Process, lab.Fd);
        file.Release();
        return rc;
    }
}
