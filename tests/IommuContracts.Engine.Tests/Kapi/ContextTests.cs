using IommuContracts.Contracts;
using IommuContracts.Engine.IoPageTable;
using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Kapi;

/// <summary>
/// Context references (kernel spec §1.1, §4.1 ctx_from_fd / get / put; K16) and IOMMU_OPTION RLIMIT_MODE
/// (§3.10; K27).
/// </summary>
public class ContextTests
{
    // ---- K16 ----

    [Fact]
    public void K16_ctx_from_fd_is_EBADF_for_a_bad_fd_and_EBADFD_for_another_file_without_leaking_it()
    {
        var host = new KapiHost();
        var node = VfioPciDriver.Bind(host.AddBareDevice());
        var vfioFd = host.Process.OpenVfioDevice(node);
        Assert.True(host.Process.TryGetFile(vfioFd, out var vfioFile));
        vfioFile.Put();

        Assert.Equal(Errno.EBADF, Iommufd.CtxFromFd(host.Process, 999, out var none));
        Assert.Null(none);
        Assert.Equal(Errno.EBADF, Iommufd.CtxFromFd(host.Process, -1, out none));
        Assert.Null(none);
        Assert.Equal(Errno.EBADFD, Iommufd.CtxFromFd(host.Process, vfioFd, out none));
        Assert.Null(none);

        // The lookup's reference on the VFIO file was given back: closing the fd releases it.
        Assert.Equal(Errno.None, host.Process.Close(vfioFd));
        Assert.True(vfioFile.IsReleased);
    }

    [Fact]
    public void K16_put_twice_is_IOMMU0008()
    {
        var host = new KapiHost();
        Assert.Equal(Errno.None, Iommufd.CtxFromFd(host.Process, host.Fd, out var ctx));
        Iommufd.CtxPut(ctx!);

        var twice = Assert.Throws<ContractViolationException>(() => Iommufd.CtxPut(ctx!));
        Assert.Equal(RuleIds.UseAfterUnbind, twice.RuleId);
        Assert.Equal(0, ctx!.References);

        // The extra put did not drop someone else's reference: the context is alive for its fd.
        Assert.False(host.ContextReleased);
        Assert.Equal(Errno.None, host.File.IoasAlloc(IommuIoasAllocFlags.None, out _));
    }

    [Fact]
    public void K16_get_on_a_reference_already_put_is_IOMMU0008()
    {
        var host = new KapiHost();
        Assert.Equal(Errno.None, Iommufd.CtxFromFd(host.Process, host.Fd, out var cached));
        Iommufd.CtxPut(cached!);

        // The driver kept the pointer and takes "another" reference without holding one.
        var get = Assert.Throws<ContractViolationException>(() => Iommufd.CtxGet(cached!));
        Assert.Equal(RuleIds.UseAfterUnbind, get.RuleId);
        Assert.Equal(0, cached!.References);
    }

    [Fact]
    public void K16_fixed_every_reference_is_put_once_and_the_last_one_releases_the_context()
    {
        var host = new KapiHost();
        Assert.Equal(Errno.None, Iommufd.CtxFromFd(host.Process, host.Fd, out var ctx));
        Iommufd.CtxGet(ctx!);
        Assert.Equal(2, ctx!.References);
        var ioas = host.AllocIoas();

        Assert.Equal(Errno.None, host.Process.Close(host.Fd));
        Iommufd.CtxPut(host.Ctx);
        Assert.False(host.ContextReleased);
        Iommufd.CtxPut(ctx);
        Assert.False(host.ContextReleased);
        Assert.NotNull(host.Object(ioas));

        Iommufd.CtxPut(ctx);
        Assert.Equal(0, ctx.References);
        Assert.True(host.ContextReleased);
        Assert.True(host.Context.Objects.IsEmpty);
        host.AssertNoWarnings();
    }

    [Fact]
    public void An_access_holds_the_context_until_it_is_destroyed()
    {
        var host = new KapiHost();
        var ops = new RecordingAccessOps();
        Assert.Equal(Errno.None, Iommufd.AccessCreate(host.Ctx, ops, out var access, out _));
        ops.Access = access;

        Assert.Equal(Errno.None, host.Process.Close(host.Fd));
        Iommufd.CtxPut(host.Ctx);
        Assert.False(host.ContextReleased);

        Iommufd.AccessDestroy(access!);
        Assert.True(host.ContextReleased);
        Assert.True(host.Context.Objects.IsEmpty);
        host.AssertNoWarnings();
    }

    // ---- K27: RLIMIT_MODE ----

    private static Errno SetRlimitMode(KapiHost host, ulong mode)
        => host.File.Option(IommuOptionId.RlimitMode, IommuOptionOp.Set, ObjectId.None, ref mode);

    private static ulong GetRlimitMode(KapiHost host)
    {
        ulong value = 99;
        Assert.Equal(Errno.None, host.File.Option(IommuOptionId.RlimitMode, IommuOptionOp.Get, ObjectId.None, ref value));
        return value;
    }

    [Fact]
    public void K27_rlimit_mode_after_creating_an_ioas_is_EBUSY()
    {
        var host = new KapiHost();
        var ioas = host.AllocIoas();

        Assert.Equal(Errno.EBUSY, SetRlimitMode(host, 1));
        Assert.Equal(0UL, GetRlimitMode(host));
        Assert.Equal(AccountMode.User, host.Context.AccountMode);

        // Fixed: once the context is empty again, the mode may change.
        Assert.Equal(Errno.None, host.Destroy(ioas));
        Assert.Equal(Errno.None, SetRlimitMode(host, 1));
        Assert.Equal(1UL, GetRlimitMode(host));
    }

    [Fact]
    public void K27_rlimit_mode_with_a_bound_device_or_an_access_is_EBUSY()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        Assert.Equal(Errno.EBUSY, SetRlimitMode(host, 1));
        Iommufd.DeviceUnbind(idev);

        var ops = new RecordingAccessOps();
        Assert.Equal(Errno.None, Iommufd.AccessCreate(host.Ctx, ops, out var access, out _));
        Assert.Equal(Errno.EBUSY, SetRlimitMode(host, 1));
        Iommufd.AccessDestroy(access!);

        Assert.Equal(0UL, GetRlimitMode(host));
        Assert.Equal(Errno.None, SetRlimitMode(host, 1));
        Assert.Equal(1UL, GetRlimitMode(host));
    }

    [Fact]
    public void K27_rlimit_mode_without_CAP_SYS_RESOURCE_is_EPERM_even_on_an_empty_context()
    {
        var host = new KapiHost();
        host.Process.Capabilities = Capabilities.IpcLock;

        Assert.Equal(Errno.EPERM, SetRlimitMode(host, 1));
        Assert.Equal(0UL, GetRlimitMode(host));

        // Permission is checked before emptiness.
        host.AllocIoas();
        Assert.Equal(Errno.EPERM, SetRlimitMode(host, 1));
    }

    [Fact]
    public void K27_fixed_set_first_on_an_empty_context_with_the_capability()
    {
        var host = new KapiHost();

        Assert.Equal(Errno.EINVAL, SetRlimitMode(host, 2));
        Assert.Equal(Errno.None, SetRlimitMode(host, 1));
        Assert.Equal(AccountMode.Mm, host.Context.AccountMode);
        Assert.Equal(1UL, GetRlimitMode(host));
        Assert.Equal(Errno.None, SetRlimitMode(host, 0));
        Assert.Equal(0UL, GetRlimitMode(host));
        ulong value = 1;
        Assert.Equal(Errno.EOPNOTSUPP, host.File.Option(IommuOptionId.RlimitMode, IommuOptionOp.Set, new ObjectId(1), ref value));
        host.AllocIoas();
        Assert.Equal(0UL, GetRlimitMode(host));
    }
}
