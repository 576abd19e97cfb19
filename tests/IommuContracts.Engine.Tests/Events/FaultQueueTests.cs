using System.Runtime.InteropServices;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Events;

/// <summary>
/// The fault queue's fd as fault.c's fops define it (read, write, poll, ESPIPE for partial records), where page
/// request groups go, and who answers them when their attachment or their queue goes away.
/// </summary>
public sealed class FaultQueueTests : IommufdIoasFixture
{
    private const int FaultSize = 40;
    private readonly DeviceId _device;
    private readonly SelftestId _stdev;
    private readonly PciDevice _mockDevice;
    private readonly HwptId _parent;
    private readonly HwptId _iopfHwpt;
    private readonly FaultId _fault;
    private readonly int _faultFd;

    public FaultQueueTests()
    {
        Assert.Equal(Errno.None, MockDomain(Ioas, out _stdev, out _, out _device));
        _mockDevice = MockDeviceOf(_device);
        Assert.Equal(Errno.None, HwptAlloc(_device, Ioas, IommuHwptAllocFlags.NestParent, out _parent));
        (_fault, _faultFd) = FaultAlloc();
        var data = new UserBuffer(Host, PageSize);
        data.U32(0, SelftestConstants.TestIotlbDefault);
        Assert.Equal(Errno.None, HwptAlloc(_device, _parent, IommuHwptAllocFlags.FaultIdValid, IommuHwptDataType.Selftest, data.Address, 8, out _iopfHwpt, _fault));
    }

    [Fact]
    public void Reads_only_whole_records_and_an_empty_queue_reads_nothing()
    {
        var buffer = new byte[2 * FaultSize];
        Assert.Equal(Errno.ESPIPE.ToSyscallResult(), Process.ReadFile(_faultFd, buffer.AsSpan(0, FaultSize - 1)));
        Assert.Equal(Errno.ESPIPE.ToSyscallResult(), Process.ReadFile(_faultFd, buffer.AsSpan(0, FaultSize + 8)));
        Assert.Equal(0, Process.ReadFile(_faultFd, buffer.AsSpan(0, FaultSize)));
        Assert.Equal(PollEvents.Out, Process.Poll(_faultFd));
    }

    [Fact]
    public void A_fault_is_readable_once_and_answered_through_its_cookie()
    {
        Assert.Equal(Errno.None, ReplaceMockDevice(_stdev, _iopfHwpt));
        Assert.Equal(Errno.None, TriggerIopf(_device, 0));
        Assert.Equal(Errno.None, TriggerIopf(_device, 0));
        Assert.Equal(PollEvents.Out | PollEvents.In | PollEvents.RdNorm, Process.Poll(_faultFd));

        // One record at a time: each group gets the lowest free cookie.
        var first = ReadFault();
        var second = ReadFault();
        Assert.Equal(1u, first.Cookie);
        Assert.Equal(2u, second.Cookie);
        Assert.Equal(IommuPgfaultFlags.LastPage, first.Flags);
        Assert.Equal(0u, first.Pasid);
        Assert.Equal(PollEvents.Out, Process.Poll(_faultFd));

        // Unknown cookies and codes are refused; an answer reaches the device once.
        Assert.Equal(Errno.EINVAL.ToSyscallResult(), Respond(7, IommufdPageResponseCode.Success));
        Assert.Equal(Errno.EINVAL.ToSyscallResult(), Respond(first.Cookie, (IommufdPageResponseCode)2));
        Assert.Equal(Errno.ESPIPE.ToSyscallResult(), Process.WriteFile(_faultFd, new byte[7]));
        Assert.Equal(8, Respond(first.Cookie, IommufdPageResponseCode.Success));
        Assert.Equal(Errno.EINVAL.ToSyscallResult(), Respond(first.Cookie, IommufdPageResponseCode.Success));
        Assert.Equal(8, Respond(second.Cookie, IommufdPageResponseCode.Invalid));
        Assert.Equal(
            [
                new IommuPageResponse(FaultTriggerGroup, 0, false, IommuPageResponseCode.Success),
                new IommuPageResponse(FaultTriggerGroup, 0, false, IommuPageResponseCode.Invalid),
            ],
            _mockDevice.PageResponses);

        // The cookie is free again.
        Assert.Equal(Errno.None, TriggerIopf(_device, 0));
        Assert.Equal(1u, ReadFault().Cookie);
        Assert.Equal(8, Respond(1, IommufdPageResponseCode.Success));
        Assert.Equal(Errno.None, ReplaceMockDevice(_stdev, Ioas));
    }

    [Fact]
    public void A_group_is_delivered_whole_when_its_last_page_arrives()
    {
        Assert.Equal(Errno.None, ReplaceMockDevice(_stdev, _iopfHwpt));
        Iommufd.ReportPageRequest(_mockDevice, new IommuPageRequest(IommuPgfaultFlags.None, 0, 5, IommuPgfaultPerm.Read, 0x1000));
        Assert.Equal(PollEvents.Out, Process.Poll(_faultFd));
        Iommufd.ReportPageRequest(_mockDevice, new IommuPageRequest(IommuPgfaultFlags.LastPage, 0, 5, IommuPgfaultPerm.Write, 0x2000));

        // A buffer for one record does not take a two-record group: EINVAL, and the group stays queued.
        Assert.Equal(Errno.EINVAL.ToSyscallResult(), Process.ReadFile(_faultFd, new byte[FaultSize]));
        Assert.Equal(PollEvents.Out | PollEvents.In | PollEvents.RdNorm, Process.Poll(_faultFd));
        var records = new byte[2 * FaultSize];
        Assert.Equal(2 * FaultSize, Process.ReadFile(_faultFd, records));
        var first = MemoryMarshal.Read<IommuHwptPgfault>(records);
        var last = MemoryMarshal.Read<IommuHwptPgfault>(records.AsSpan(FaultSize));
        Assert.Equal((0x1000UL, 0x2000UL), (first.Addr, last.Addr));
        Assert.Equal(first.Cookie, last.Cookie);
        Assert.Equal(5u, first.Grpid);
        Assert.Equal(IommuPgfaultFlags.LastPage, last.Flags);
        Assert.Equal(_device, first.DevId);

        Assert.Equal(8, Respond(first.Cookie, IommufdPageResponseCode.Success));
        Assert.Equal([new IommuPageResponse(5, 0, false, IommuPageResponseCode.Success)], _mockDevice.PageResponses);
        Assert.Equal(Errno.None, ReplaceMockDevice(_stdev, Ioas));
    }

    [Fact]
    public void A_group_copied_in_part_is_not_delivered()
    {
        Assert.Equal(Errno.None, ReplaceMockDevice(_stdev, _iopfHwpt));
        Iommufd.ReportPageRequest(_mockDevice, new IommuPageRequest(IommuPgfaultFlags.None, 0, 6, IommuPgfaultPerm.Read, 0x1000));
        Iommufd.ReportPageRequest(_mockDevice, new IommuPageRequest(IommuPgfaultFlags.LastPage, 0, 6, IommuPgfaultPerm.Read, 0x2000));

        // The first record lands at the end of a page, the second would fall past it: EFAULT, nothing counted.
        var page = Process.Mmap(PageSize);
        Assert.Equal(Errno.None, Process.Munmap(page + PageSize, PageSize));
        Assert.Equal(Errno.EFAULT.ToSyscallResult(), Process.ReadFile(_faultFd, page + PageSize - FaultSize, 2 * FaultSize));

        // The group is still queued whole and reads in full into a buffer that takes it.
        Assert.Equal(PollEvents.Out | PollEvents.In | PollEvents.RdNorm, Process.Poll(_faultFd));
        var records = new byte[2 * FaultSize];
        Assert.Equal(2 * FaultSize, Process.ReadFile(_faultFd, records));
        var first = MemoryMarshal.Read<IommuHwptPgfault>(records);
        Assert.Equal(0x1000UL, first.Addr);
        Assert.Equal(8, Respond(first.Cookie, IommufdPageResponseCode.Success));
        Assert.Equal([new IommuPageResponse(6, 0, false, IommuPageResponseCode.Success)], _mockDevice.PageResponses);
        Assert.Equal(Errno.None, ReplaceMockDevice(_stdev, Ioas));
    }

    [Fact]
    public void Detach_answers_the_attachments_pending_groups_invalid()
    {
        Assert.Equal(Errno.None, ReplaceMockDevice(_stdev, _iopfHwpt));
        Assert.Equal(Errno.None, TriggerIopf(_device, 0));
        Assert.Equal(Errno.None, TriggerIopf(_device, 0));
        var read = ReadFault();

        // One group read and unanswered, one unread: destroying the device detaches it.
        Assert.Equal(Errno.None, File.Destroy(_stdev));
        Assert.Equal(2, _mockDevice.PageResponses.Count);
        Assert.All(_mockDevice.PageResponses, r => Assert.Equal(IommuPageResponseCode.Invalid, r.Code));
        Assert.Equal(0, Process.ReadFile(_faultFd, new byte[FaultSize]));
        Assert.Equal(Errno.EINVAL.ToSyscallResult(), Respond(read.Cookie, IommufdPageResponseCode.Success));
    }

    [Fact]
    public void Replace_answers_from_the_new_HWPTs_queue_so_the_old_ones_groups_wait_for_the_queue_to_go()
    {
        Assert.Equal(Errno.None, ReplaceMockDevice(_stdev, _iopfHwpt));
        Assert.Equal(Errno.None, TriggerIopf(_device, 0));

        // iommufd_hwpt_replace_device answers the old handle's faults from the new HWPT's queue, which has none.
        Assert.Equal(Errno.None, ReplaceMockDevice(_stdev, Ioas));
        Assert.Empty(_mockDevice.PageResponses);
        Assert.Equal(PollEvents.Out | PollEvents.In | PollEvents.RdNorm, Process.Poll(_faultFd));

        // The queue cannot go while its fd is open or a HWPT delivers to it; when it goes, it answers INVALID.
        Assert.Equal(Errno.EBUSY, File.Destroy(_fault));
        Assert.Equal(Errno.None, File.Destroy(_iopfHwpt));
        Assert.Equal(Errno.EBUSY, File.Destroy(_fault));
        Assert.Equal(Errno.None, Process.Close(_faultFd));
        Assert.Equal(Errno.None, File.Destroy(_fault));
        Assert.Equal([new IommuPageResponse(FaultTriggerGroup, 0, false, IommuPageResponseCode.Invalid)], _mockDevice.PageResponses);
    }

    [Fact]
    public void Faults_go_nowhere_without_a_fault_capable_attachment()
    {
        // Attached to the automatic domain: the device has no fault handler, nothing is queued or answered.
        Assert.Equal(Errno.None, TriggerIopf(_device, 0));
        Assert.Equal(PollEvents.Out, Process.Poll(_faultFd));
        Assert.Empty(_mockDevice.PageResponses);
    }

    [Fact]
    public void A_PASID_fault_without_a_PASID_attachment_fails_unless_the_RID_attachment_is_nested()
    {
        // A paging HWPT with a fault queue on the RID: a fault on PASID 3 has nowhere to go.
        Assert.Equal(Errno.None, HwptAlloc(_device, Ioas, IommuHwptAllocFlags.FaultIdValid, IommuHwptDataType.None, 0, 0, out var pagingIopf, _fault));
        Assert.Equal(Errno.None, ReplaceMockDevice(_stdev, pagingIopf));
        Assert.Equal(Errno.None, TriggerIopf(_device, 3));
        Assert.Equal([new IommuPageResponse(FaultTriggerGroup, 3, true, IommuPageResponseCode.Failure)], _mockDevice.PageResponses);
        Assert.Equal(Errno.None, TriggerIopf(_device, 0));
        Assert.Equal(0u, ReadFault().Pasid);

        // The nested HWPT on the RID takes it (the mock's PASID table belongs to user space).
        Assert.Equal(Errno.None, ReplaceMockDevice(_stdev, _iopfHwpt));
        Assert.Equal(Errno.None, TriggerIopf(_device, 3));
        var fault = ReadFault();
        Assert.Equal((3u, IommuPgfaultFlags.PasidValid | IommuPgfaultFlags.LastPage), (fault.Pasid, fault.Flags));
        Assert.Equal(8, Respond(fault.Cookie, IommufdPageResponseCode.Success));
        Assert.Equal(Errno.None, ReplaceMockDevice(_stdev, Ioas));
        Assert.Equal(Errno.None, File.Destroy(pagingIopf));
    }

    [Fact]
    public void The_open_fd_keeps_the_context_after_dev_iommu_is_closed()
    {
        Assert.Equal(Errno.None, MapFixed(Buffer, PageSize, SelftestConstants.MockApertureStart));
        Assert.Equal(1, Process.PinCount(Buffer));

        // The fault fd holds a reference on the iommufd file: closing /dev/iommu releases nothing yet.
        Assert.Equal(Errno.None, Process.Close(Fd));
        Assert.Equal(1, Process.PinCount(Buffer));
        Assert.Equal(Errno.None, Process.Close(_faultFd));
        Assert.Equal(0, Process.PinCount(Buffer));

        // The base teardown closes Fd again; give it a fresh one.
        ReopenFd();
    }

    [Fact]
    public void A_bad_buffer_fails_the_read_and_leaves_the_group_queued()
    {
        Assert.Equal(Errno.None, ReplaceMockDevice(_stdev, _iopfHwpt));
        Assert.Equal(Errno.None, TriggerIopf(_device, 0));
        Assert.Equal(Errno.EFAULT.ToSyscallResult(), Process.ReadFile(_faultFd, 0, FaultSize));
        var fault = ReadFault();
        Assert.Equal(1u, fault.Cookie);

        // A write from an unreadable buffer returns copy_from_user's count of bytes left (8), as the kernel does.
        Assert.Equal(8, Process.WriteFile(_faultFd, 0, 8));
        Assert.Equal(8, Respond(fault.Cookie, IommufdPageResponseCode.Success));
        Assert.Equal(Errno.None, ReplaceMockDevice(_stdev, Ioas));
    }

    private const uint FaultTriggerGroup = TriggerIopfGroup;

    private IommuHwptPgfault ReadFault()
    {
        var record = new byte[FaultSize];
        Assert.Equal(FaultSize, Process.ReadFile(_faultFd, record));
        return MemoryMarshal.Read<IommuHwptPgfault>(record);
    }

    private long Respond(uint cookie, IommufdPageResponseCode code)
    {
        var response = new IommuHwptPageResponse { Cookie = cookie, Code = code };
        return Process.WriteFile(_faultFd, MemoryMarshal.AsBytes(new Span<IommuHwptPageResponse>(ref response)));
    }

    private PciDevice MockDeviceOf(DeviceId device)
        => EngineInspection.ContextOf(Process, Fd).Objects.Snapshot().OfType<Core.Device>().Single(d => d.Id == device).Dev;
}
