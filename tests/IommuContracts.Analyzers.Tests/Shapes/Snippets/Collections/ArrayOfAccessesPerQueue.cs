// Shape: one access per emulated queue in an array, created in a loop and destroyed in a loop
// From: multi-queue emulated devices (one iommufd_access per queue)
// Label: OK
// Runtime: clean

public sealed class QueueOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

public sealed class MultiQueueDevice
{
    private readonly IommufdAccess?[] _queues;

    public MultiQueueDevice(int queues) => _queues = new IommufdAccess?[queues];

    public Errno Open(IommufdCtx ictx, IoasId ioas)
    {
        for (var q = 0; q < _queues.Length; q++)
        {
            var rc = Iommufd.AccessCreate(ictx, new QueueOps(), out var access, out _);
            if (rc != Errno.None)
            {
                Close();
                return rc;
            }

            _queues[q] = access;
            rc = Iommufd.AccessAttach(access!, ioas);
            if (rc != Errno.None)
            {
                Close();
                return rc;
            }
        }

        return Errno.None;
    }

    public void Close()
    {
        for (var q = 0; q < _queues.Length; q++)
        {
            if (_queues[q] is { } access)
            {
                Iommufd.AccessDestroy(access);
                _queues[q] = null;
            }
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var device = new MultiQueueDevice(4);
        var rc = device.Open(lab.Ctx, lab.Ioas);
        device.Close();
        if (rc != Errno.None) return rc;
        var broken = new MultiQueueDevice(2);
        return broken.Open(lab.Ctx, new IoasId(4242)) == Errno.ENOENT ? Errno.None : Errno.EINVAL;
    }
}
