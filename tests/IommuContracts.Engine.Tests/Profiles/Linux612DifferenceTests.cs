using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Profiles;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Profiles;

/// <summary>
/// Each user-visible difference between Linux 6.12 and the newest kernel (docs/kernel-profiles.md), run on both
/// profiles: what 6.12 answers, and that the newest answers otherwise.
/// </summary>
public class Linux612DifferenceTests
{
    public static TheoryData<string, uint> CommandsAfter612 => new()
    {
        { "IOMMU_IOAS_MAP_FILE", IommuIoasMapFile.Command },
        { "IOMMU_VIOMMU_ALLOC", IommuViommuAlloc.Command },
        { "IOMMU_VDEVICE_ALLOC", IommuVdeviceAlloc.Command },
        { "IOMMU_IOAS_CHANGE_PROCESS", IommuIoasChangeProcess.Command },
        { "IOMMU_VEVENTQ_ALLOC", IommuVeventqAlloc.Command },
        { "IOMMU_HW_QUEUE_ALLOC", IommuHwQueueAlloc.Command },
    };

    // main.c:378-410 and 424-436 (6.12): the table ends at FAULT_QUEUE_ALLOC; IOMMU_TEST_CMD extends it to 0xA0, so 0x8F-0x9F
    // are holes: the size is read (EFAULT for a NULL argument), then ENOTTY whatever the struct says.
    [Theory]
    [MemberData(nameof(CommandsAfter612))]
    public void Commands_after_6_12_are_holes_in_its_table(string name, uint command)
    {
        foreach (var profile in new[] { "newest", "linux-6.12" })
        {
            using var fixture = new ProfiledFixture(profile, mockDevice: false);
            var cmd = new UserBuffer(fixture.Host, IommufdFixture.PageSize);

            // A size of 0 is below every command's minimum: the newest kernel decodes it (EINVAL), 6.12 has no entry.
            var tooSmall = fixture.Ioctl(command, cmd.Address);
            SyscallAssert.Fails(fixture.Is612 ? Errno.ENOTTY : Errno.EINVAL, tooSmall);

            // A NULL argument faults on reading the size in both.
            SyscallAssert.Fails(Errno.EFAULT, fixture.Ioctl(command, 0UL));
            Assert.True(fixture.Is612 == !fixture.Profile.Supports(KernelFeatures.CommandAt((byte)command)!), name);
        }
    }

    [Fact]
    public void The_last_command_of_6_12_and_the_holes_after_the_newest_table_answer_alike()
    {
        foreach (var profile in new[] { "newest", "linux-6.12" })
        {
            using var fixture = new ProfiledFixture(profile, mockDevice: false);
            var cmd = new UserBuffer(fixture.Host, IommufdFixture.PageSize);
            cmd.U32(0, 16);

            // FAULT_QUEUE_ALLOC (0x8E) is decoded by both; 0x95 is a hole in both.
            Assert.NotEqual(-(int)Errno.ENOTTY, fixture.Ioctl(IommuFaultAlloc.Command, cmd.Address));
            SyscallAssert.Fails(Errno.ENOTTY, fixture.Ioctl(0x3B95, cmd.Address));
        }
    }

    // device.c:1320-1322 (6.12): any flag is EOPNOTSUPP; the newest reads in_data_type with IOMMU_HW_INFO_FLAG_INPUT_TYPE.
    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void Get_hw_info_with_input_type(string profile)
    {
        using var fixture = new ProfiledFixture(profile);
        uint length = 0;
        var type = IommuHwInfoType.Selftest;

        var withFlag = fixture.File.GetHwInfo(IommuHwInfoFlags.InputType, fixture.Device, 0, ref length, ref type, out _, out _);
        Assert.Equal(fixture.Is612 ? Errno.EOPNOTSUPP : Errno.None, withFlag);

        // The newest kernel wrote back its own data length; the buffer is still NULL.
        length = 0;
        type = IommuHwInfoType.Default;
        Assert.Equal(Errno.None, fixture.File.GetHwInfo(IommuHwInfoFlags.None, fixture.Device, 0, ref length, ref type, out _, out _));
        Assert.Equal(IommuHwInfoType.Selftest, type);
    }

    // hw_pagetable.c:110-111, 118-119 (6.12): valid paging flags are NEST_PARENT and DIRTY_TRACKING only.
    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void Paging_hwpt_with_a_fault_queue_or_pasid(string profile)
    {
        using var fixture = new ProfiledFixture(profile);

        // Newest: the flag is valid, then the fault ID is looked up (there is no fault object: ENOENT).
        Assert.Equal(fixture.Is612 ? Errno.EOPNOTSUPP : Errno.ENOENT,
            fixture.HwptAlloc(fixture.Device, fixture.Ioas, IommuHwptAllocFlags.FaultIdValid, IommuHwptDataType.None, 0, 0, out _, new FaultId(99)));
        var pasid = fixture.HwptAlloc(fixture.Device, fixture.Ioas, IommuHwptAllocFlags.Pasid, out var hwpt);
        Assert.Equal(fixture.Is612 ? Errno.EOPNOTSUPP : Errno.None, pasid);
        if (pasid == Errno.None)
        {
            Assert.Equal(Errno.None, fixture.File.Destroy(hwpt));
        }

        Assert.Equal(Errno.None, fixture.HwptAlloc(fixture.Device, fixture.Ioas, IommuHwptAllocFlags.NestParent | IommuHwptAllocFlags.DirtyTracking, out hwpt));
        Assert.Equal(Errno.None, fixture.File.Destroy(hwpt));
    }

    // hw_pagetable.c:229-231 (6.12): a nested HWPT takes FAULT_ID_VALID only.
    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void Nested_hwpt_with_pasid(string profile)
    {
        using var fixture = new ProfiledFixture(profile);
        Assert.Equal(Errno.None, fixture.HwptAlloc(fixture.Device, fixture.Ioas, IommuHwptAllocFlags.NestParent, out var parent));
        var data = fixture.SelftestData(SelftestConstants.TestIotlbDefault);

        var nested = fixture.HwptAlloc(fixture.Device, parent, IommuHwptAllocFlags.Pasid, IommuHwptDataType.Selftest, data, 4, out var hwpt);

        Assert.Equal(fixture.Is612 ? Errno.EOPNOTSUPP : Errno.None, nested);
        if (nested == Errno.None)
        {
            Assert.Equal(Errno.None, fixture.File.Destroy(hwpt));
        }

        Assert.Equal(Errno.None, fixture.File.Destroy(parent));
    }

    // hw_pagetable.c:442 (6.12): iommufd_get_hwpt_nested, so a paging HWPT is ENOENT; the newest looks up any
    // object (vIOMMUs take invalidations too) and refuses a paging HWPT with EINVAL.
    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void Invalidating_a_paging_hwpt(string profile)
    {
        using var fixture = new ProfiledFixture(profile);
        uint count = 0;

        var result = fixture.File.HwptInvalidate(fixture.AutoHwpt, 0, IommuHwptInvalidateDataType.Selftest, 8, ref count);

        Assert.Equal(fixture.Is612 ? Errno.ENOENT : Errno.EINVAL, result);
        Assert.Equal(0u, count);
    }

    // selftest.c:698-700 (6.12): mock_dev_create knows NO_DIRTY and HUGE_IOVA only; the selftest object's ID is freed.
    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void Mock_device_with_pasid(string profile)
    {
        using var fixture = new ProfiledFixture(profile, mockDevice: false);
        var ioas = fixture.Ioas;

        var result = fixture.MockDomain(ioas, out var stdev, out _, out _, MockDeviceFlags.Pasid);

        Assert.Equal(fixture.Is612 ? Errno.EINVAL : Errno.None, result);
        if (fixture.Is612)
        {
            // Nothing was left behind: the next device gets the IDs the failed one would have.
            Assert.Equal(Errno.None, fixture.MockDomain(ioas, out stdev, out _, out _));
        }

        Assert.Equal(2u, stdev.Value);
        Assert.Equal(Errno.None, fixture.File.Destroy(stdev));
    }

    // iommufd_test.h:25 (6.12): the ops end at TRIGGER_IOPF (15); selftest.c:1538-1539 answers the rest EOPNOTSUPP.
    [Theory]
    [InlineData(IommuTestOp.DevCheckCache)]
    [InlineData(IommuTestOp.TriggerVevent)]
    [InlineData(IommuTestOp.PasidAttach)]
    [InlineData(IommuTestOp.PasidReplace)]
    [InlineData(IommuTestOp.PasidDetach)]
    [InlineData(IommuTestOp.PasidCheckHwpt)]
    [InlineData(IommuTestOp.DmabufGet)]
    [InlineData(IommuTestOp.DmabufRevoke)]
    public void Selftest_ops_after_6_12(IommuTestOp op)
    {
        var feature = KernelFeatures.TestOpFeature(op)!;
        Assert.False(KernelProfile.Linux612.Supports(feature));
        Assert.True(KernelProfile.Newest.Supports(feature));

        // A valid-looking call for the op, on a live mock device, still ends at the op switch on 6.12.
        using var fixture = new ProfiledFixture("linux-6.12");
        var payload = new IommuTestPayload { PasidAttach = new TestPasidAttach { Pasid = 1, PtId = fixture.AutoHwpt } };
        Assert.Equal(Errno.EOPNOTSUPP, fixture.File.TestCmd(op, fixture.Stdev, ref payload));
    }

    // iommufd_test.h:161-163 (6.12): struct iommu_hwpt_selftest is 4 bytes; selftest.c:340-341 refuses driver data for a
    // paging HWPT. The newest struct has pagetable_type (8 bytes) and the mock takes it for paging HWPTs.
    // pages.c:1152-1156 (6.12) iopt_alloc_pages: the length limits (EINVAL) come before the wrap check (EOVERFLOW);
    // since MAP_FILE split it, iopt_alloc_user_pages checks the wrap first. Seen in the differential replay: a
    // length of 2^64 - 2 from a high uptr is EINVAL on the real 6.12 kernel.
    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void Map_of_a_huge_length_that_also_wraps(string profile)
    {
        using var fixture = new ProfiledFixture(profile, mockDevice: false);
        const IommuIoasMapFlags flags = IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable;
        var iova = 0UL;
        var hugeAndWrapping = fixture.File.IoasMap(flags, fixture.Ioas, 0xDEAD_0000_0000_0000, ulong.MaxValue - 1, ref iova);
        Assert.Equal(fixture.Is612 ? Errno.EINVAL : Errno.EOVERFLOW, hugeAndWrapping);

        // Either check alone answers the same on both.
        Assert.Equal(Errno.EOVERFLOW, fixture.File.IoasMap(flags, fixture.Ioas, 0xDEAD_0000_0000_0000, 0x4000_0000_0000_0000, ref iova));
        Assert.Equal(Errno.EINVAL, fixture.File.IoasMap(flags, fixture.Ioas, fixture.Buffer, 0, ref iova));
    }

    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void Selftest_driver_data_past_iotlb(string profile)
    {
        using var fixture = new ProfiledFixture(profile);
        Assert.Equal(Errno.None, fixture.HwptAlloc(fixture.Device, fixture.Ioas, IommuHwptAllocFlags.NestParent, out var parent));
        var longData = fixture.SelftestData(SelftestConstants.TestIotlbDefault, pagetableType: 0);
        var huge = fixture.SelftestData(SelftestConstants.TestIotlbDefault, pagetableType: (uint)MockPageTableType.Huge);

        // 8 bytes: longer than 6.12's struct, which __iommu_copy_struct_from_user refuses (EINVAL) whatever the
        // tail holds, as the real 6.12 kernel answered in the differential replay; the newest struct is 8 bytes.
        foreach (var data in new[] { longData, huge })
        {
            var eightBytes = fixture.HwptAlloc(fixture.Device, parent, IommuHwptAllocFlags.None, IommuHwptDataType.Selftest, data, 8, out var nested);
            Assert.Equal(fixture.Is612 ? Errno.EINVAL : Errno.None, eightBytes);
            if (eightBytes == Errno.None)
            {
                Assert.Equal(Errno.None, fixture.File.Destroy(nested));
            }
        }

        // Past the newest struct too: EINVAL on both, even with a zero tail.
        Assert.Equal(Errno.EINVAL, fixture.HwptAlloc(fixture.Device, parent, IommuHwptAllocFlags.None, IommuHwptDataType.Selftest, longData, 12, out _));

        // Driver data for a paging HWPT.
        var paging = fixture.HwptAlloc(fixture.Device, fixture.Ioas, IommuHwptAllocFlags.None, IommuHwptDataType.Selftest, longData, 4, out var hwpt);
        Assert.Equal(fixture.Is612 ? Errno.EOPNOTSUPP : Errno.None, paging);
        if (paging == Errno.None)
        {
            Assert.Equal(Errno.None, fixture.File.Destroy(hwpt));
        }

        Assert.Equal(Errno.None, fixture.File.Destroy(parent));
    }

    // device_cdev.c:175, 210 (6.12) vfio_df_ioctl_attach_pt / detach_pt: flags must be 0 (EINVAL); the newest knows
    // VFIO_DEVICE_ATTACH_PASID / VFIO_DEVICE_DETACH_PASID and attaches the PASID to a PASID-compatible HWPT.
    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void Vfio_attach_and_detach_with_the_pasid_flag(string profile)
    {
        var kernel = new SimulatedKernel(KernelProfile.Find(profile));
        var node = VfioPciDriver.Bind(kernel.AddPciDevice(new PciAddress(0, 1, 0, 0), IommuInstance.RealLooking("dmar-pasid", pasidWidth: 20)));
        var process = new SimulatedProcess(kernel) { Capabilities = Capabilities.Root };
        var iommufd = process.OpenIommufd();
        var device = process.File(process.OpenVfioDevice(node));
        Assert.Equal(Errno.None, device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd, 0, out var devId));
        Assert.Equal(Errno.None, process.File(iommufd).IoasAlloc(IommuIoasAllocFlags.None, out var ioas));
        var is612 = profile == "linux-6.12";

        // 6.12 knows no IOMMU_HWPT_ALLOC_PASID either: its HWPT is a plain one, and the flag is refused before it matters.
        var hwptFlags = is612 ? IommuHwptAllocFlags.None : IommuHwptAllocFlags.Pasid;
        Assert.Equal(Errno.None, process.File(iommufd).HwptAlloc(hwptFlags, devId, ioas, IommuHwptDataType.None, 0, 0, FaultId.None, out var hwpt));
        var attach = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.Pasid, hwpt, 1, out var used);
        var detach = device.VfioDeviceDetachIommufdPt(VfioDeviceDetachFlags.Pasid, 1);

        Assert.Equal(is612 ? Errno.EINVAL : Errno.None, attach);
        Assert.Equal(is612 ? Errno.EINVAL : Errno.None, detach);
        if (!is612)
        {
            Assert.Equal(hwpt, used);
        }

        Assert.Equal(Errno.None, device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out _));
        Assert.Equal(Errno.None, device.VfioDeviceDetachIommufdPt(VfioDeviceDetachFlags.None, 0));
        Assert.Equal(Errno.None, process.File(iommufd).Destroy(hwpt));
        Assert.Empty(kernel.Log.Warnings);
    }

    // iommufd_fops in 6.12 (main.c) has no .mmap, so do_mmap answers ENODEV; the newest looks the offset up among
    // the vIOMMU regions (ENXIO when none is there).
    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void Mmap_of_dev_iommu(string profile)
    {
        using var fixture = new ProfiledFixture(profile, mockDevice: false);

        var result = fixture.Process.Mmap(fixture.Fd, IommufdFixture.PageSize, MemoryProtection.ReadWrite, MmapFlags.Shared, 0, out _);

        Assert.Equal(fixture.Is612 ? Errno.ENODEV : Errno.ENXIO, result);
    }

    // The selftest's dma-buf exporter (DMABUF_GET, DMABUF_REVOKE) came with dma-buf MAP_FILE; before it both ops are
    // the op switch's EOPNOTSUPP.
    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void Dmabuf_selftest_ops(string profile)
    {
        using var fixture = new ProfiledFixture(profile, mockDevice: false);

        var fd = fixture.GetDmabuf(4 * IommufdFixture.PageSize);

        if (fixture.Is612)
        {
            SyscallAssert.Fails(Errno.EOPNOTSUPP, fd);
            Assert.Equal(Errno.EOPNOTSUPP, fixture.RevokeDmabuf(3, true));
        }
        else
        {
            Assert.True(fd > 0, $"DMABUF_GET answered {fd}");
            Assert.Equal(Errno.None, fixture.RevokeDmabuf(fd, true));
            Assert.Equal(Errno.None, fixture.Host.Close(fd));
        }
    }

    // Between MAP_FILE (6.13) and dma-buf support (6.19) a dma-buf is a file memfd_pin_folios refuses: pinning its pages
    // for the attached domain fails with EINVAL. No offered profile is in that window, so the what-if variant shows it.
    [Fact]
    public void Map_file_of_a_dmabuf_before_dmabuf_support()
    {
        var without = KernelProfile.Newest.Without(KernelFeatures.IoasMapFileDmabuf).With(KernelFeatures.TestOpDmabufGet);
        foreach (var profile in new[] { KernelProfile.Newest, without })
        {
            using var fixture = new ProfiledFixture(profile);
            var fd = fixture.Dmabuf(4 * IommufdFixture.PageSize);

            var result = fixture.MapFile(fixture.Ioas, fd, 0, 4 * IommufdFixture.PageSize, out var iova);

            Assert.Equal(profile == without ? Errno.EINVAL : Errno.None, result);
            if (result == Errno.None)
            {
                Assert.Equal(Errno.None, fixture.Unmap(fixture.Ioas, iova, 4 * IommufdFixture.PageSize, out _));
            }

            Assert.Equal(Errno.None, fixture.Host.Close(fd));
        }
    }

    // The kAPI: iommufd_device_attach / replace / detach take a pasid since 6.15. A driver built for 6.12 cannot call
    // them with one, so the engine refuses the call itself instead of answering an errno 6.12 never gave.
    [Fact]
    public void Kapi_pasid_calls_exist_since_6_15()
    {
        var old = new KapiHost(profile: KernelProfile.Linux612);
        var oldIdev = old.Bind(old.AddDevice(iommu: IommuInstance.RealLooking("dmar-pasid", pasidWidth: 20)));
        var plain = old.AllocHwpt(oldIdev.Id, old.AllocIoas());

        Assert.Contains("linux-6.12", Assert.Throws<NotSupportedException>(() => Iommufd.DeviceAttach(oldIdev, 1, plain, out _)).Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => Iommufd.DeviceReplace(oldIdev, 1, plain, out _));
        Assert.Throws<NotSupportedException>(() => Iommufd.DeviceDetach(oldIdev, 1));
        Assert.Empty(oldIdev.AttachedPasids);
        Iommufd.DeviceUnbind(oldIdev);

        var newest = new KapiHost();
        var idev = newest.Bind(newest.AddDevice(iommu: IommuInstance.RealLooking("dmar-pasid", pasidWidth: 20)));
        var compatible = newest.AllocHwpt(idev.Id, newest.AllocIoas(), IommuHwptAllocFlags.Pasid);
        Assert.Equal(Errno.None, Iommufd.DeviceAttach(idev, 1, compatible, out _));
        Iommufd.DeviceDetach(idev, 1);
        Iommufd.DeviceUnbind(idev);
    }

    // device_cdev.c:75-78 (6.12): BIND copies offsetofend(out_devid) = 16 bytes and ignores the rest; the newest
    // reads the struct with copy_struct_from_user, so non-zero bytes past its 24 bytes are E2BIG.
    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void Vfio_bind_with_bytes_past_the_struct(string profile)
    {
        var kernel = new SimulatedKernel(KernelProfile.Find(profile));
        var node = VfioPciDriver.Bind(kernel.AddPciDevice(new PciAddress(0, 1, 0, 0), IommuInstance.IntelVtd()));
        var process = new SimulatedProcess(kernel) { Capabilities = Capabilities.Root };
        var iommufd = process.OpenIommufd();
        var deviceFd = process.OpenVfioDevice(node);
        var bind = process.Mmap(4096);
        var bytes = new byte[40];
        BitConverter.TryWriteBytes(bytes.AsSpan(0), 40u);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), iommufd);
        bytes[32] = 0xFF;
        Assert.Equal(Errno.None, process.Write(bind, bytes));

        var result = process.Ioctl(deviceFd, VfioDeviceBindIommufd.Command, bind);

        if (profile == "linux-6.12")
        {
            SyscallAssert.Succeeds(result);
            Assert.Equal(Errno.None, process.Read(bind, bytes));
            Assert.Equal(1u, BitConverter.ToUInt32(bytes, 12));
            Assert.Equal(40u, BitConverter.ToUInt32(bytes, 0));
        }
        else
        {
            SyscallAssert.Fails(Errno.E2BIG, result);
        }

        Assert.Empty(kernel.Log.Warnings);
    }
}
