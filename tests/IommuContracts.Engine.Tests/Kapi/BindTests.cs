using IommuContracts.Contracts;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;

namespace IommuContracts.Engine.Tests.Kapi;

/// <summary>
/// iommufd_device_bind (kernel spec §4.1 steps 1–5, K2, K3, K22): who may bind, what bind takes over (the
/// whole iommu_group), and what it refuses.
/// </summary>
public class BindTests
{
    // ---- K2: driver_managed_dma ----

    [Theory]
    [InlineData(DeviceDriverKind.None)]
    [InlineData(DeviceDriverKind.DmaApi)]
    public void K2_bind_without_driver_managed_dma_is_EPERM_and_changes_nothing(DeviceDriverKind driver)
    {
        var host = new KapiHost();
        var device = host.AddBareDevice();
        device.BindDriver(driver);
        var objects = host.Context.Objects.Count;

        Assert.Equal(Errno.EPERM, Iommufd.DeviceBind(host.Ctx, device, out var idev, out var id));

        Assert.Null(idev);
        Assert.False(id.IsValid);
        Assert.False(device.IsBoundToIommufd);
        Assert.False(Iommufd.CtxHasGroup(host.Ctx, device.Group));
        Assert.Null(device.Group.DmaOwner);
        Assert.Equal(objects, host.Context.Objects.Count);
        host.AssertNoWarnings();
    }

    [Fact]
    public void K2_fixed_a_driver_managed_dma_driver_binds()
    {
        var host = new KapiHost();
        var device = host.AddBareDevice();
        device.BindDriver(DeviceDriverKind.DriverManagedDma);

        Assert.Equal(Errno.None, Iommufd.DeviceBind(host.Ctx, device, out var idev, out var id));

        Assert.True(id.IsValid);
        Assert.Equal(id, Iommufd.DeviceToId(idev!));
        Assert.True(device.IsBoundToIommufd);
        Assert.True(Iommufd.CtxHasGroup(host.Ctx, device.Group));
        Assert.Same(host.Context, device.Group.DmaOwner);

        // After bind and before attach, DMA is blocked.
        Assert.Equal(IommuFaultReason.Blocked, device.DmaWrite(0x1000, [1, 2, 3])!.Reason);
        Iommufd.DeviceUnbind(idev!);
        Assert.False(device.IsBoundToIommufd);
        Assert.False(Iommufd.CtxHasGroup(host.Ctx, device.Group));
        host.AssertNoWarnings();
    }

    // ---- K3: no DMA before bind ----

    [Fact]
    public void K3_dma_of_a_driver_managed_dma_device_before_bind_is_IOMMU0001()
    {
        var host = new KapiHost();
        var device = host.AddDevice();

        var write = Assert.Throws<ContractViolationException>(() => device.DmaWrite(0x1000, [1, 2, 3]));
        Assert.Equal(RuleIds.DeviceTouchedBeforeBind, write.RuleId);
        var read = Assert.Throws<ContractViolationException>(() => device.DmaRead(0x1000, new byte[4]));
        Assert.Equal(RuleIds.DeviceTouchedBeforeBind, read.RuleId);
        Assert.Empty(device.Faults);
    }

    [Fact]
    public void K3_dma_after_unbind_is_IOMMU0001_again()
    {
        var host = new KapiHost();
        var device = host.AddDevice();
        var idev = host.Bind(device);
        Iommufd.DeviceUnbind(idev);

        var write = Assert.Throws<ContractViolationException>(() => device.DmaWrite(0x1000, [1]));
        Assert.Equal(RuleIds.DeviceTouchedBeforeBind, write.RuleId);
    }

    [Fact]
    public void K3_fixed_dma_after_bind_is_blocked_not_a_violation()
    {
        var host = new KapiHost();
        var device = host.AddDevice();
        var idev = host.Bind(device);

        var fault = device.DmaWrite(0x1000, [1, 2, 3]);

        Assert.NotNull(fault);
        Assert.Equal(IommuFaultReason.Blocked, fault.Reason);
        Assert.Equal(0x1000UL, fault.Iova);
        Assert.True(fault.Write);
        Assert.Single(device.Faults);
        Iommufd.DeviceUnbind(idev);
        host.AssertNoWarnings();
    }

    // ---- seed (a): bind takes the whole group ----

    [Fact]
    public void Bind_takes_the_whole_group_another_context_gets_EPERM()
    {
        var host = new KapiHost();
        var group = new IommuGroup(host.Iommu);
        var first = host.AddDevice(group);
        var sibling = host.AddDevice(group);
        var otherFd = host.Process.OpenIommufd();
        Assert.Equal(Errno.None, Iommufd.CtxFromFd(host.Process, otherFd, out var other));

        var idev = host.Bind(first);
        Assert.True(Iommufd.CtxHasGroup(host.Ctx, group));
        Assert.False(Iommufd.CtxHasGroup(other!, group));

        // The sibling belongs to the first context now: nobody else may bind it, and its DMA is blocked.
        Assert.Equal(Errno.EPERM, Iommufd.DeviceBind(other!, sibling, out var stolen, out _));
        Assert.Null(stolen);
        Assert.False(Iommufd.CtxHasGroup(other!, group));
        Assert.False(sibling.IsBoundToIommufd);
        Assert.True(other!.Context.Objects.IsEmpty);
        Assert.Same(host.Context, group.DmaOwner);

        // The same context may bind the sibling.
        var siblingIdev = host.Bind(sibling);
        Assert.Equal(2, group.OwnerCount);

        // Only when both have left is the group free for the other context.
        Iommufd.DeviceUnbind(idev);
        Assert.True(Iommufd.CtxHasGroup(host.Ctx, group));
        Assert.Equal(Errno.EPERM, Iommufd.DeviceBind(other, first, out _, out _));
        Iommufd.DeviceUnbind(siblingIdev);
        Assert.False(Iommufd.CtxHasGroup(host.Ctx, group));
        Assert.Null(group.DmaOwner);
        Assert.Equal(Errno.None, Iommufd.DeviceBind(other, sibling, out var moved, out _));
        Assert.True(Iommufd.CtxHasGroup(other, group));
        Iommufd.DeviceUnbind(moved!);
        Iommufd.CtxPut(other);
        host.AssertNoWarnings();
    }

    [Fact]
    public void Bind_is_EPERM_while_a_kernel_driver_owns_a_sibling()
    {
        var host = new KapiHost();
        var group = new IommuGroup(host.Iommu);
        var device = host.AddDevice(group);
        var kernelOwned = host.AddBareDevice(group);
        kernelOwned.BindDriver(DeviceDriverKind.DmaApi);

        Assert.Equal(Errno.EPERM, Iommufd.DeviceBind(host.Ctx, device, out var idev, out _));
        Assert.Null(idev);
        Assert.False(Iommufd.CtxHasGroup(host.Ctx, group));
        Assert.Null(group.DmaOwner);
        Assert.False(device.IsBoundToIommufd);

        // Fixed: the kernel driver lets go of the sibling.
        kernelOwned.BindDriver(DeviceDriverKind.None);
        var bound = host.Bind(device);
        Assert.True(Iommufd.CtxHasGroup(host.Ctx, group));
        Iommufd.DeviceUnbind(bound);
        host.AssertNoWarnings();
    }

    [Fact]
    public void A_kernel_driver_cannot_take_a_sibling_of_a_group_iommufd_owns()
    {
        // iommu_device_use_default_domain refuses (EBUSY) a DMA-API driver probing a device whose group is
        // owned by a user: otherwise that kernel driver's DMA would go through the user's domain.
        var host = new KapiHost();
        var group = new IommuGroup(host.Iommu);
        var device = host.AddDevice(group);
        var sibling = host.AddBareDevice(group);
        var idev = host.Bind(device);

        try
        {
            sibling.BindDriver(DeviceDriverKind.DmaApi);
        }
        catch (InvalidOperationException)
        {
            // Refusing by exception is fine too.
        }

        Assert.True(sibling.Driver != DeviceDriverKind.DmaApi,
            "a DMA-API kernel driver was bound to a sibling of a group owned by an iommufd context; its DMA would use the user's domain");
        Assert.Same(host.Context, group.DmaOwner);
        Iommufd.DeviceUnbind(idev);
    }

    // ---- seed (b), K22: MSI isolation and cache coherency ----

    [Fact]
    public void K22_bind_without_msi_isolation_is_EPERM_and_leaves_no_state()
    {
        var host = new KapiHost(msiIsolation: false);
        var device = host.AddDevice();

        Assert.Equal(Errno.EPERM, Iommufd.DeviceBind(host.Ctx, device, out var idev, out _));

        Assert.Null(idev);
        Assert.False(device.IsBoundToIommufd);
        Assert.False(Iommufd.CtxHasGroup(host.Ctx, device.Group));
        Assert.Equal(0, host.Context.GroupCount);
        Assert.Null(device.Group.DmaOwner);
        Assert.True(host.Context.Objects.IsEmpty);
        Assert.Empty(host.Kernel.Log.Messages);
        host.AssertNoWarnings();
    }

    [Fact]
    public void K22_allow_unsafe_interrupts_binds_and_logs_the_insecure_platform_every_time()
    {
        var host = new KapiHost(msiIsolation: false);
        host.Kernel.AllowUnsafeInterrupts = true;
        var first = host.AddDevice();
        var second = host.AddDevice();

        var firstIdev = host.Bind(first);
        Assert.True(first.IsBoundToIommufd);
        Assert.Contains(host.Kernel.Log.Messages, m => m.Contains(first.Address.ToString(), StringComparison.Ordinal)
            && m.Contains("MSI", StringComparison.Ordinal) && m.Contains("not secure", StringComparison.OrdinalIgnoreCase));

        var secondIdev = host.Bind(second);
        Assert.Contains(host.Kernel.Log.Messages, m => m.Contains(second.Address.ToString(), StringComparison.Ordinal)
            && m.Contains("not secure", StringComparison.OrdinalIgnoreCase));

        Iommufd.DeviceUnbind(firstIdev);
        Iommufd.DeviceUnbind(secondIdev);
    }

    [Fact]
    public void K22_fixed_an_isolating_platform_binds_without_any_message()
    {
        var host = new KapiHost(msiIsolation: true);
        var device = host.AddDevice();

        var idev = host.Bind(device);

        Assert.Empty(host.Kernel.Log.Messages);
        Iommufd.DeviceUnbind(idev);
        host.AssertNoWarnings();
    }

    [Fact]
    public void K22_bind_without_cache_coherency_is_EINVAL()
    {
        var host = new KapiHost();
        var incoherent = new IommuInstance("incoherent", IommuGeometry.RealLooking, IommuDriverKind.Generic) { CacheCoherency = false };
        var device = host.AddDevice(iommu: incoherent);

        Assert.Equal(Errno.EINVAL, Iommufd.DeviceBind(host.Ctx, device, out var idev, out _));

        Assert.Null(idev);
        Assert.False(device.IsBoundToIommufd);
        Assert.False(Iommufd.CtxHasGroup(host.Ctx, device.Group));
        Assert.Null(device.Group.DmaOwner);
        Assert.True(host.Context.Objects.IsEmpty);
    }
}
