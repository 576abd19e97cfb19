// Shape: the driver takes an extra reference for a deferred worker (iommufd_ctx_get), the worker puts it when done
// From: kernel code handing a context to a work item
// Label: OK
// Runtime: clean
using System.Threading.Tasks;

public sealed class DeferredWork
{
    private IommufdCtx? _ictx;

    public Errno Open(SimulatedProcess process, int fd) => Iommufd.CtxFromFd(process, fd, out _ictx);

    public Task QueueAsync(IommuGroup group)
    {
        var ictx = _ictx!;
        Iommufd.CtxGet(ictx);
        return Task.Run(() =>
        {
            try
            {
                Console.WriteLine($"worker: owns group {Iommufd.CtxHasGroup(ictx, group)}");
            }
            finally
            {
                Iommufd.CtxPut(ictx);
            }
        });
    }

    public void Close()
    {
        if (_ictx is { } ictx)
        {
            _ictx = null;
            Iommufd.CtxPut(ictx);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var work = new DeferredWork();
        var rc = work.Open(lab.Process, lab.Fd);
        if (rc != Errno.None) return rc;
        work.QueueAsync(lab.Device().Group).GetAwaiter().GetResult();
        work.Close();
        return Errno.None;
    }
}
