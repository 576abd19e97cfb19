// Shape: a ref struct scope around iommufd_ctx_from_fd / iommufd_ctx_put, used with `using` in a group-ownership check
// From: drivers/vfio/vfio_main.c (iommufd_ctx_from_file ... iommufd_ctx_put around a query)
// Label: OK
// Runtime: clean

public ref struct CtxScope
{
    private IommufdCtx? _ctx;

    public static Errno Open(SimulatedProcess process, int fd, out CtxScope scope)
    {
        scope = default;
        var rc = Iommufd.CtxFromFd(process, fd, out var ctx);
        if (rc != Errno.None)
        {
            return rc;
        }

        scope = new CtxScope { _ctx = ctx };
        return Errno.None;
    }

    public readonly IommufdCtx Ctx => _ctx!;

    public void Dispose()
    {
        if (_ctx is { } ctx)
        {
            _ctx = null;
            Iommufd.CtxPut(ctx);
        }
    }
}

public static class GroupOwnership
{
    public static Errno IsOwnedBy(SimulatedProcess process, int iommufd, IommuGroup group, out bool owned)
    {
        owned = false;
        var rc = CtxScope.Open(process, iommufd, out var scope);
        if (rc != Errno.None)
        {
            return rc;
        }

        using (scope)
        {
            owned = Iommufd.CtxHasGroup(scope.Ctx, group);
        }

        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = GroupOwnership.IsOwnedBy(lab.Process, lab.Fd, lab.Device().Group, out var owned);
        return rc != Errno.None ? rc : owned ? Errno.EINVAL : Errno.None;
    }
}
