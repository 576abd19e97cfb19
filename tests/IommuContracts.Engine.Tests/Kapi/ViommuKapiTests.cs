using IommuContracts.Contracts;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Kapi;

/// <summary>
/// The vIOMMU kAPI an IOMMU driver uses (iommufd_viommu_find_dev, iommufd_viommu_get_vdev_id,
/// iommufd_viommu_report_event, the HW queue's memory) and its runtime twins: a reference used after its put,
/// or put twice, is IOMMU0002; a held reference keeps the object from being destroyed.
/// </summary>
public sealed class ViommuKapiTests : IommufdViommuFixture
{
    private readonly IommufdCtx _ctx;

    public ViommuKapiTests()
        : base(viommu: true)
    {
        Assert.Equal(Errno.None, Iommufd.CtxFromFd(Process, Fd, out var ctx));
        _ctx = ctx!;
    }

    [Fact]
    public void Virtual_ids_map_to_devices_and_back()
    {
        Assert.Equal(Errno.ENOENT, Iommufd.ViommuGet(_ctx, new ViommuId(99), out _));
        Assert.Equal(Errno.None, Iommufd.ViommuGet(_ctx, ViommuId, out var viommu));
        var device = DeviceOf(DeviceId);

        Assert.Equal(Errno.ENOENT, Iommufd.ViommuFindDevice(viommu!, 0x99, out _));
        Assert.Equal(Errno.ENOENT, Iommufd.ViommuGetVdevId(viommu!, device, out _));
        Assert.Equal(Errno.None, VdeviceAlloc(ViommuId, DeviceId, 0x99, out var vdev));
        Assert.Equal(Errno.None, Iommufd.ViommuFindDevice(viommu!, 0x99, out var found));
        Assert.Same(device, found);
        Assert.Equal(Errno.None, Iommufd.ViommuGetVdevId(viommu!, device, out var virtId));
        Assert.Equal(0x99UL, virtId);

        // While the driver holds the vIOMMU, user space cannot destroy it.
        Assert.Equal(Errno.None, File.Destroy(vdev));
        Assert.Equal(Errno.None, File.Destroy(NestedHwptId));
        Assert.Equal(Errno.EBUSY, File.Destroy(ViommuId));
        Iommufd.ViommuPut(viommu!);
        Assert.Equal(Errno.None, File.Destroy(ViommuId));
    }

    [Fact]
    public void A_reported_event_reaches_the_queue_of_its_type()
    {
        Assert.Equal(Errno.None, Iommufd.ViommuGet(_ctx, ViommuId, out var viommu));
        Assert.Equal(Errno.EOPNOTSUPP, Iommufd.ViommuReportEvent(viommu!, IommuVeventqType.Selftest, [1, 2, 3, 4]));
        Assert.Equal(Errno.None, VeventqAlloc(ViommuId, IommuVeventqType.Selftest, out _, out var fd));
        Assert.Equal(Errno.None, Iommufd.ViommuReportEvent(viommu!, IommuVeventqType.Selftest, [1, 2, 3, 4, 5]));
        Iommufd.ViommuPut(viommu!);

        var bytes = new byte[16];
        Assert.Equal(13, Process.ReadFile(fd, bytes));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, bytes[8..13]);
        Assert.Equal(Errno.None, Process.Close(fd));
    }

    [Fact]
    public void The_hardware_reads_and_writes_the_guest_queue_the_process_sees()
    {
        Assert.Equal(Errno.None, Map(Buffer, PageSize, out var iova));
        Assert.Equal(Errno.None, HwQueueAlloc(ViommuId, IommuHwQueueType.Selftest, 0, iova + 256, 512, out var queueId));
        Assert.Equal(Errno.None, Iommufd.HwQueueGet(_ctx, queueId, out var queue));
        Assert.Equal(512UL, queue!.Length);

        WriteUser(Buffer + 256, [0xC0, 0xDE]);
        var command = new byte[2];
        Assert.Equal(Errno.None, Iommufd.HwQueueRead(queue, 0, command));
        Assert.Equal(new byte[] { 0xC0, 0xDE }, command);
        Assert.Equal(Errno.None, Iommufd.HwQueueWrite(queue, 510, [0xAB, 0xCD]));
        Assert.Equal(new byte[] { 0xAB, 0xCD }, ReadUser(Buffer + 256 + 510, 2));
        Assert.Equal(Errno.EINVAL, Iommufd.HwQueueRead(queue, 511, new byte[2]));

        Assert.Equal(Errno.EBUSY, File.Destroy(queueId));
        Iommufd.HwQueuePut(queue);
        Assert.Equal(Errno.None, File.Destroy(queueId));
        Assert.Equal(Errno.None, Unmap(iova, PageSize));
    }

    [Fact]
    public void A_reference_used_after_its_put_or_put_twice_is_IOMMU0002()
    {
        Assert.Equal(Errno.None, Iommufd.ViommuGet(_ctx, ViommuId, out var viommu));
        Iommufd.ViommuPut(viommu!);
        Assert.True(viommu!.IsReleased);
        var afterPut = Assert.Throws<ContractViolationException>(() => Iommufd.ViommuFindDevice(viommu, 1, out _));
        Assert.Equal(RuleIds.UseAfterUnbind, afterPut.RuleId);
        var twice = Assert.Throws<ContractViolationException>(() => Iommufd.ViommuPut(viommu));
        Assert.Equal(RuleIds.UseAfterUnbind, twice.RuleId);

        // An unchecked failed lookup reaching the kAPI is IOMMU0003.
        _ = Iommufd.HwQueueGet(_ctx, new HwQueueId(77), out var missing);
        var uncheckedUse = Assert.Throws<ContractViolationException>(() => Iommufd.HwQueueRead(missing!, 0, new byte[1]));
        Assert.Equal(RuleIds.UncheckedResult, uncheckedUse.RuleId);
    }

    public override void Dispose()
    {
        Iommufd.CtxPut(_ctx);
        base.Dispose();
    }

    private PciDevice DeviceOf(DeviceId id)
        => EngineInspection.ContextOf(Process, Fd).Objects.Snapshot().OfType<Core.Device>().Single(d => d.Id == id).Dev;
}
