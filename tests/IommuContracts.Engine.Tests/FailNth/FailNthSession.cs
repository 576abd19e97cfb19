using System.Buffers.Binary;
using IommuContracts.Engine.Core;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.FailNth;

/// <summary>
/// The basic_fail_nth fixture for one run: a fresh root process (its own simulated kernel, so its own
/// fault injector, log and accounting) with the 2 MiB test buffer, and the fds the sequence opens. The
/// helpers are the kernel's <c>_test_*</c> wrappers; each returns a <see cref="StepResult"/>.
/// </summary>
internal sealed class FailNthSession
{
    /// <summary>BUFFER_SIZE of iommufd_fail_nth.c.</summary>
    public const ulong BufferSize = 2UL << 20;

    public const ulong PageSize = SimulatedProcess.PageSize;

    private const IommuIoasMapFlags ReadWrite = IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable;

    /// <summary>
    /// The buffer is faulted in as physically contiguous runs of this many pages. Anonymous memory is rarely
    /// contiguous under a real kernel; here it would be (pages are handed out in order), and every area
    /// would go into a domain with a single map call, leaving the partial-map unwind paths unswept.
    /// </summary>
    public const int PhysicalRunPages = 16;

    public FailNthSession()
    {
        Process = new SimulatedProcess { Capabilities = Capabilities.Root, MemlockLimit = ulong.MaxValue };
        Buffer = Process.Mmap(BufferSize, MemoryProtection.ReadWrite, MmapFlags.None);
        var spacer = Process.Mmap(BufferSize / PageSize / PhysicalRunPages * PageSize);
        for (ulong page = 0; page < BufferSize / PageSize; page++)
        {
            Write(Buffer + (page * PageSize), [0]);
            if ((page + 1) % PhysicalRunPages == 0)
            {
                Write(spacer + (page / PhysicalRunPages * PageSize), [0]);
            }
        }

        // The global memfd of BUFFER_SIZE, shared-mapped (setup_buffer's memfd_mmap).
        Mfd = Process.MemfdCreate("buffer");
        Assert.Equal(Errno.None, Process.Ftruncate(Mfd, BufferSize));
        Assert.Equal(Errno.None, Process.Mmap(Mfd, BufferSize, MemoryProtection.ReadWrite, MmapFlags.Shared, 0, out var mfdBuffer));
        MfdBuffer = mfdBuffer;
    }

    public SimulatedProcess Process { get; }

    public SimulatedKernel Kernel => Process.Kernel;

    /// <summary>The global test buffer.</summary>
    public ulong Buffer { get; }

    /// <summary>The global memfd (mfd); a process-wide fd like the buffer, never closed by a sequence.</summary>
    public int Mfd { get; }

    /// <summary>The shared mapping of <see cref="Mfd"/> (mfd_buffer).</summary>
    public ulong MfdBuffer { get; }

    /// <summary>self->pasid: a PASID the sequence attached, which teardown detaches first (0: none).</summary>
    public uint Pasid { get; set; }

    /// <summary>self->stdev_id: the mock device teardown detaches the PASID of.</summary>
    public SelftestId StdevId { get; set; }

    /// <summary>self->fd: the /dev/iommu the sequence opened, or -1.</summary>
    public int Fd { get; private set; } = -1;

    /// <summary>The context behind <see cref="Fd"/> (kept past close, to check it was emptied).</summary>
    public IommufdContext? Context { get; private set; }

    /// <summary>self->access_id: an access fd the teardown must close first (it holds the iommufd open).</summary>
    public int AccessFd { get; private set; } = -1;

    public IIoctlFile File => Process.File(Fd);

    /// <summary>Memory standing for the C test's stack arrays.</summary>
    public ulong Scratch(ulong length) => Process.Mmap(length);

    public StepResult Open()
    {
        Fd = Process.OpenIommufd();
        Context = EngineInspection.ContextOf(Process, Fd);
        return new(Errno.None, $"fd {Fd}");
    }

    public StepResult IoasAlloc(out IoasId ioas)
    {
        var result = File.IoasAlloc(IommuIoasAllocFlags.None, out ioas);
        return new(result, $"ioas {ioas.Value}");
    }

    /// <summary>_test_ioctl_ioas_map with WRITEABLE | READABLE and a kernel-chosen IOVA.</summary>
    public StepResult Map(IoasId ioas, ulong userVa, ulong length, out ulong iova)
    {
        iova = 0;
        var result = File.IoasMap(ReadWrite, ioas, userVa, length, ref iova);
        return new(result, $"iova 0x{iova:X}");
    }

    /// <summary>_test_ioctl_ioas_map with FIXED_IOVA | WRITEABLE | READABLE.</summary>
    public StepResult MapFixed(IoasId ioas, ulong userVa, ulong length, ulong iova)
    {
        var result = File.IoasMap(IommuIoasMapFlags.FixedIova | ReadWrite, ioas, userVa, length, ref iova);
        return new(result, $"iova 0x{iova:X}");
    }

    public StepResult Unmap(IoasId ioas, ulong iova, ulong length)
    {
        var unmapped = length;
        var result = File.IoasUnmap(ioas, iova, ref unmapped);
        return new(result, $"unmapped 0x{unmapped:X}");
    }

    public StepResult Destroy(ObjectId id) => new(File.Destroy(id));

    public StepResult SetTempMemoryLimit(uint limit)
    {
        var payload = new IommuTestPayload { MemoryLimit = new TestMemoryLimit { Limit = limit } };
        return new(File.TestCmd(IommuTestOp.SetTempMemoryLimit, ObjectId.None, ref payload));
    }

    /// <summary>_test_cmd_mock_domain: a mock device bound and attached to <paramref name="pt"/>.</summary>
    public StepResult MockDomain(ObjectId pt, out SelftestId stdev, out HwptId hwpt, out DeviceId idev)
    {
        var payload = new IommuTestPayload();
        var result = File.TestCmd(IommuTestOp.MockDomain, pt, ref payload);
        stdev = payload.MockDomain.OutStdevId;
        hwpt = payload.MockDomain.OutHwptId;
        idev = payload.MockDomain.OutIdevId;
        return new(result, $"stdev {stdev.Value}, hwpt {hwpt.Value}, idev {idev.Value}");
    }

    /// <summary>_test_cmd_mock_domain_replace.</summary>
    public StepResult MockDomainReplace(SelftestId stdev, ObjectId pt)
    {
        var payload = new IommuTestPayload { MockDomainReplace = new TestMockDomainReplace { PtId = pt } };
        var result = File.TestCmd(IommuTestOp.MockDomainReplace, stdev, ref payload);
        return new(result, $"pt {payload.MockDomainReplace.PtId.Value}");
    }

    /// <summary>_test_cmd_create_access: the access fd becomes self->access_id.</summary>
    public StepResult CreateAccess(IoasId ioas, MockAccessCreateFlags flags)
    {
        var payload = new IommuTestPayload { CreateAccess = new TestCreateAccess { Flags = flags } };
        var result = File.TestCmd(IommuTestOp.CreateAccess, ioas, ref payload);
        if (result == Errno.None)
        {
            AccessFd = payload.CreateAccess.OutAccessFd;
        }

        return new(result, result == Errno.None ? $"access fd {payload.CreateAccess.OutAccessFd}" : string.Empty);
    }

    /// <summary>IOMMU_TEST_OP_ACCESS_RW; the outputs carry a checksum of the user buffer afterwards.</summary>
    public StepResult AccessRw(ulong iova, ulong uptr, ulong length, MockAccessRwFlags flags)
    {
        var payload = new IommuTestPayload { AccessRw = new TestAccessRw { Iova = iova, Length = length, Uptr = uptr, Flags = flags } };
        var result = File.TestCmd(IommuTestOp.AccessRw, new ObjectId((uint)AccessFd), ref payload);
        return new(result, $"data {Checksum(uptr, length)}");
    }

    /// <summary>IOMMU_TEST_OP_ACCESS_PAGES (flags 0): pins and checks [iova, iova + length) against uptr.</summary>
    public StepResult AccessPages(ulong iova, ulong length, ulong uptr, out uint pagesId)
    {
        var payload = new IommuTestPayload { AccessPages = new TestAccessPages { Iova = iova, Length = length, Uptr = uptr } };
        var result = File.TestCmd(IommuTestOp.AccessPages, new ObjectId((uint)AccessFd), ref payload);
        pagesId = payload.AccessPages.OutAccessPagesId;
        return new(result, $"access pages {pagesId}");
    }

    /// <summary>_test_cmd_destroy_access_pages.</summary>
    public StepResult DestroyAccessPages(uint pagesId)
    {
        var payload = new IommuTestPayload { DestroyAccessPages = new TestDestroyAccessPages { AccessPagesId = pagesId } };
        return new(File.TestCmd(IommuTestOp.DestroyAccessPages, new ObjectId((uint)AccessFd), ref payload));
    }

    /// <summary>_test_cmd_destroy_access: close(access fd); self->access_id = 0.</summary>
    public StepResult DestroyAccess()
    {
        var result = Process.Close(AccessFd);
        if (result == Errno.None)
        {
            AccessFd = -1;
        }

        return new(result);
    }

    /// <summary>_test_cmd_get_hw_info with a buffer of sizeof(struct iommu_test_hw_info).</summary>
    public StepResult GetHwInfo(DeviceId idev, ulong data)
    {
        uint length = 8;
        var type = IommuHwInfoType.Default;
        var result = File.GetHwInfo(IommuHwInfoFlags.None, idev, data, ref length, ref type, out var pasid, out var capabilities);
        return new(result, $"len {length}, type 0x{type:X}, pasid {pasid}, caps {capabilities}, data {Checksum(data, 8)}");
    }

    /// <summary>_test_cmd_hwpt_alloc.</summary>
    public StepResult HwptAlloc(DeviceId idev, ObjectId pt, IommuHwptAllocFlags flags, FaultId fault, IommuHwptDataType type, ulong data, uint dataLength, out HwptId hwpt)
    {
        var result = File.HwptAlloc(flags, idev, pt, type, dataLength, data, fault, out hwpt);
        return new(result, $"hwpt {hwpt.Value}");
    }

    /// <summary>_test_ioctl_ioas_map_file with WRITEABLE | READABLE and a kernel-chosen IOVA.</summary>
    public StepResult MapFile(IoasId ioas, int fd, ulong start, ulong length, out ulong iova)
    {
        iova = 0;
        var result = File.IoasMapFile(ReadWrite, ioas, fd, start, length, ref iova);
        return new(result, $"iova 0x{iova:X}");
    }

    /// <summary>_test_cmd_mock_domain_flags.</summary>
    public StepResult MockDomainFlags(ObjectId pt, MockDeviceFlags flags, out SelftestId stdev, out HwptId hwpt, out DeviceId idev)
    {
        var payload = new IommuTestPayload { MockDomainFlags = new TestMockDomainFlags { DevFlags = flags } };
        var result = File.TestCmd(IommuTestOp.MockDomainFlags, pt, ref payload);
        stdev = payload.MockDomainFlags.OutStdevId;
        hwpt = payload.MockDomainFlags.OutHwptId;
        idev = payload.MockDomainFlags.OutIdevId;
        return new(result, $"stdev {stdev.Value}, hwpt {hwpt.Value}, idev {idev.Value}");
    }

    /// <summary>_test_cmd_viommu_alloc (no data).</summary>
    public StepResult ViommuAlloc(DeviceId idev, HwptId hwpt, IommuViommuType type, out ViommuId viommu)
    {
        var result = File.ViommuAlloc(IommuViommuAllocFlags.None, type, idev, hwpt, 0, 0, out viommu);
        return new(result, $"viommu {viommu.Value}");
    }

    /// <summary>_test_cmd_vdevice_alloc.</summary>
    public StepResult VdeviceAlloc(ViommuId viommu, DeviceId idev, ulong virtId, out VdeviceId vdevice)
    {
        var result = File.VdeviceAlloc(viommu, idev, virtId, out vdevice);
        return new(result, $"vdevice {vdevice.Value}");
    }

    /// <summary>_test_cmd_hw_queue_alloc.</summary>
    public StepResult HwQueueAlloc(ViommuId viommu, IommuHwQueueType type, uint index, ulong iova, ulong length, out HwQueueId queue)
    {
        var result = File.HwQueueAlloc(IommuHwQueueAllocFlags.None, viommu, type, index, iova, length, out queue);
        return new(result, $"hw_queue {queue.Value}");
    }

    /// <summary>_test_ioctl_fault_alloc, then close(fault_fd) as the sequence does at once.</summary>
    public StepResult FaultAllocAndClose(out FaultId fault)
    {
        var result = File.FaultQueueAlloc(IommuFaultAllocFlags.None, out fault, out var fd);
        var closed = result == Errno.None ? Process.Close(fd) : Errno.None;
        return new(result, $"fault {fault.Value}, fd {fd}, close {closed}");
    }

    /// <summary>_test_cmd_veventq_alloc (depth 2), then close(veventq_fd).</summary>
    public StepResult VeventqAllocAndClose(ViommuId viommu, IommuVeventqType type, out VeventqId queue)
    {
        var result = File.VeventqAlloc(IommuVeventqAllocFlags.None, viommu, type, 2, out queue, out var fd);
        var closed = result == Errno.None ? Process.Close(fd) : Errno.None;
        return new(result, $"veventq {queue.Value}, fd {fd}, close {closed}");
    }

    /// <summary>The fd DMABUF_GET returned (-errno when it failed).</summary>
    public int DmabufFd { get; private set; } = -1;

    /// <summary>_test_cmd_get_dmabuf (O_CLOEXEC); the ioctl returns the fd.</summary>
    public StepResult DmabufGet(ulong length)
    {
        var cmd = new IommuTestCmd { Op = IommuTestOp.DmabufGet };
        cmd.Payload.DmabufGet = new TestDmabufGet { Length = (uint)length, OpenFlags = 0x80000 };
        var bytes = global::IommuContracts.Ioctl.IoctlArguments.MutableBytesOf(ref cmd);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bytes.Length);
        DmabufFd = Process.Ioctl(Fd, IommuTestCmd.Command, bytes);
        if (DmabufFd < 0)
        {
            return new(ErrnoExtensions.FromSyscallResult(DmabufFd));
        }

        Assert.True(Process.TryGetFile(DmabufFd, out var file));
        file.Put();
        Dmabuf = file;
        return new(Errno.None, $"fd {DmabufFd}");
    }

    /// <summary>The buffer DMABUF_GET made, to check at teardown that it was released.</summary>
    public OpenFile? Dmabuf { get; private set; }

    /// <summary>_test_cmd_revoke_dmabuf on <see cref="DmabufFd"/>.</summary>
    public StepResult DmabufRevoke(bool revoked)
    {
        var payload = new IommuTestPayload { DmabufRevoke = new TestDmabufRevoke { DmabufFd = DmabufFd, Revoked = revoked ? 1u : 0u } };
        return new(File.TestCmd(IommuTestOp.DmabufRevoke, ObjectId.None, ref payload));
    }

    /// <summary>close(dmabuf_fd).</summary>
    public StepResult CloseDmabuf()
    {
        var result = Process.Close(DmabufFd);
        DmabufFd = -1;
        return new(result);
    }

    /// <summary>_test_cmd_pasid_attach / _replace (replace when <paramref name="replace"/>).</summary>
    public StepResult PasidAttach(SelftestId stdev, uint pasid, ObjectId pt, bool replace)
    {
        var payload = new IommuTestPayload { PasidAttach = new TestPasidAttach { Pasid = pasid, PtId = pt } };
        var result = File.TestCmd(replace ? IommuTestOp.PasidReplace : IommuTestOp.PasidAttach, stdev, ref payload);
        return new(result, $"pt {payload.PasidAttach.PtId.Value}");
    }

    /// <summary>_test_cmd_pasid_detach.</summary>
    public StepResult PasidDetach(SelftestId stdev, uint pasid)
    {
        var payload = new IommuTestPayload { PasidDetach = new TestPasidDetach { Pasid = pasid } };
        return new(File.TestCmd(IommuTestOp.PasidDetach, stdev, ref payload));
    }

    public void Write(ulong address, ReadOnlySpan<byte> bytes) => Assert.Equal(Errno.None, Process.Write(address, bytes));

    public void WriteRange(ulong address, ulong start, ulong last)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, start);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], last);
        Write(address, bytes);
    }

    /// <summary>A checksum of user memory, so data a step moves is compared between runs.</summary>
    public string Checksum(ulong address, ulong length)
    {
        var bytes = new byte[length];
        if (Process.Read(address, bytes) != Errno.None)
        {
            return "EFAULT";
        }

        // FNV-1a.
        var hash = 14695981039346656037UL;
        foreach (var value in bytes)
        {
            hash = (hash ^ value) * 1099511628211UL;
        }

        return $"{hash:X16}";
    }
}
