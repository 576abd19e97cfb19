using System.Runtime.InteropServices;
using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;
using IommuContracts.Uapi;

namespace IommuContracts.Fuzz;

/// <summary>
/// Decodes a byte string into a program of mmap / munmap / ioctl / close calls on one simulated process and runs
/// it against the engine. Arguments are structured: object IDs are drawn from the objects created so far, user
/// addresses from the process's mappings, IOVAs from the areas mapped so far, lengths from a few interesting
/// shapes (pages, bytes, huge, all ones). After every call <see cref="EngineChecks"/> asserts the engine's
/// promises; at the end every fd is closed and everything must be released. Any exception is a finding.
/// </summary>
public sealed partial class IoctlProgram
{
    private const ulong Page = SimulatedProcess.PageSize;
    private const int MaxCalls = 200;
    private const ulong Iova = 0x4000_0000;

    private readonly InputReader _input;
    private readonly SimulatedProcess _process;
    private readonly EngineChecks _checks;
    private readonly List<PciDevice> _devices = new();
    private readonly List<VfioDeviceNode> _nodes = new();
    private readonly List<int> _iommufds = new();
    private readonly List<int> _vfioFds = new();
    private readonly List<int> _accessFds = new();
    private readonly List<(ulong Address, ulong Length)> _mappings = new();
    private readonly List<(uint Ioas, ulong Iova, ulong Length)> _areas = new();
    private readonly List<uint> _ioas = new();
    private readonly List<uint> _hwpts = new();
    private readonly List<uint> _idevs = new();
    private readonly List<uint> _stdevs = new();
    private readonly List<uint> _accessItems = new();
    private readonly ulong _args;

    private IoctlProgram(InputReader input)
    {
        _input = input;
        // A small machine (256 MiB), so a root process pinning a huge untouched mapping runs out of memory
        // (ENOMEM) in well under a second instead of after gigabytes.
        var kernel = new SimulatedKernel { MemoryBytes = 256UL << 20 };
        var root = _input.Bit();
        _process = new SimulatedProcess(kernel)
        {
            Capabilities = root ? Capabilities.Root : Capabilities.None,
            MemlockLimit = root ? 64UL << 20 : 8UL << 20,
        };

        // Two functions behind one real-looking IOMMU that share a group, and one on its own.
        var iommu = IommuInstance.RealLooking("dmar0");
        var shared = new IommuGroup(iommu);
        _devices.Add(kernel.AddPciDevice(new PciAddress(0, 1, 0, 0), iommu, shared));
        _devices.Add(kernel.AddPciDevice(new PciAddress(0, 1, 0, 1), iommu, shared));
        _devices.Add(kernel.AddPciDevice(new PciAddress(0, 2, 0, 0), iommu));
        foreach (var device in _devices)
        {
            _nodes.Add(VfioPciDriver.Bind(device));
        }

        // Argument page(s) of the harness itself, and a first data buffer and iommufd as every program has them.
        _args = _process.Mmap(4 * Page);
        _mappings.Add((_process.Mmap(16 * Page), 16 * Page));
        _checks = new EngineChecks(_process, _devices);
        _iommufds.Add(_process.OpenIommufd());
        _checks.Track(_iommufds[0]);
    }

    /// <summary>Decodes and runs <paramref name="input"/>; throws <see cref="FuzzFindingException"/> (or whatever the engine threw) on a bug.</summary>
    public static void Run(byte[] input) => Run(new InputReader(input));

    /// <summary>Runs the program a (possibly recording) reader decides.</summary>
    public static void Run(InputReader input)
    {
        var program = new IoctlProgram(input);
        for (var call = 0; call < MaxCalls && !input.AtEnd; call++)
        {
            program.Step();
        }

        program.CloseEverything();
    }

    /// <summary>Operation numbers of <see cref="Step"/>, for scripted seeds.</summary>
    internal enum Op
    {
        Mmap, Munmap, WriteUser, OpenIommufd, Close, IoasAlloc, IoasMap, IoasUnmap, IoasCopy, AllowIovas, IovaRanges,
        Destroy, HwptAlloc, GetHwInfo, Dirty, Option, MockDomain, AccessOp, TestCheckOp, VfioOp, VfioCompat, Invalidate, Raw,
    }

    private void Step()
    {
        switch (_input.Operation(24))
        {
            case 0: Mmap(); break;
            case 1: Munmap(); break;
            case 2: WriteUser(); break;
            case 3: OpenIommufd(); break;
            case 4: Close(); break;
            case 5: IoasAlloc(); break;
            case 6: case 23: IoasMap(); break;
            case 7: IoasUnmap(); break;
            case 8: IoasCopy(); break;
            case 9: AllowIovas(); break;
            case 10: IovaRanges(); break;
            case 11: Destroy(); break;
            case 12: HwptAlloc(); break;
            case 13: GetHwInfo(); break;
            case 14: Dirty(); break;
            case 15: Option(); break;
            case 16: MockDomain(); break;
            case 17: AccessOp(); break;
            case 18: TestCheckOp(); break;
            case 19: VfioOp(); break;
            case 20: VfioCompat(); break;
            case 21: Invalidate(); break;
            default: Raw(); break;
        }
    }

    // ------------------------------------------------------------------ memory

    private void Mmap()
    {
        var length = _input.Choice(8) == 0 ? 1UL << (30 + _input.Choice(16)) : (ulong)(1 + _input.Choice(64)) * Page;
        var flags = _input.Choice(8) == 0 ? MmapFlags.HugeTlb : MmapFlags.None;
        var protection = _input.Choice(6) == 0 ? MemoryProtection.Read : MemoryProtection.ReadWrite;
        if (_mappings.Count < 16)
        {
            _mappings.Add((_process.Mmap(length, protection, flags), length));
        }
    }

    private void Munmap()
    {
        if (_mappings.Count == 0)
        {
            return;
        }

        var index = _input.Choice(_mappings.Count);
        var (address, length) = _mappings[index];
        switch (_input.Choice(3))
        {
            case 0:
                _process.Munmap(address, length);
                _mappings.RemoveAt(index);
                break;
            case 1:
                _process.Munmap(address, Page);
                break;
            default:
                _process.Munmap(address + length - Page, Page);
                break;
        }
    }

    private void WriteUser()
    {
        if (_mappings.Count == 0)
        {
            return;
        }

        var (address, length) = _mappings[_input.Choice(_mappings.Count)];
        var offset = (ulong)_input.U16() % Math.Min(length, 64 * Page);
        _process.Write(address + offset, _input.Bytes(64));
    }

    // ------------------------------------------------------------------ files

    private void OpenIommufd()
    {
        if (_iommufds.Count < 3)
        {
            var fd = _process.OpenIommufd();
            _iommufds.Add(fd);
            _checks.Track(fd);
        }
    }

    private void Close()
    {
        var fd = AnyFd();
        _checks.Call($"close({fd})", () => (int)_process.Close(fd) * -1, touchesMany: true);
        _iommufds.Remove(fd);
        _vfioFds.Remove(fd);
        _accessFds.Remove(fd);
    }

    // ------------------------------------------------------------------ iommufd

    private void IoasAlloc()
    {
        var alloc = new IommuIoasAlloc { Size = (uint)IommuIoasAlloc.NativeSize, Flags = (IommuIoasAllocFlags)(_input.Choice(8) == 0 ? 1 : 0) };
        if (Ioctl(Iommufd(), IommuIoasAlloc.Command, ref alloc, "IOAS_ALLOC") == 0)
        {
            _ioas.Add(alloc.OutIoasId.Value);
        }
    }

    private void IoasMap()
    {
        var map = new IommuIoasMap
        {
            Size = (uint)IommuIoasMap.NativeSize,
            Flags = MapFlags(),
            IoasId = new IoasId(Id(_ioas)),
            UserVa = UserAddress(),
            Length = Length(),
            Iova = IovaChoice(),
        };
        if (Ioctl(Iommufd(), IommuIoasMap.Command, ref map, "IOAS_MAP") == 0)
        {
            _areas.Add((map.IoasId.Value, map.Iova, map.Length));
        }
    }

    private void IoasUnmap()
    {
        var (ioas, iova, length) = AreaChoice();
        if (_input.Choice(5) == 0)
        {
            (iova, length) = (0, ulong.MaxValue);
        }

        var unmap = new IommuIoasUnmap { Size = (uint)IommuIoasUnmap.NativeSize, IoasId = new IoasId(ioas), Iova = iova, Length = length };
        Ioctl(Iommufd(), IommuIoasUnmap.Command, ref unmap, "IOAS_UNMAP");
    }

    private void IoasCopy()
    {
        var (source, srcIova, length) = AreaChoice();
        var copy = new IommuIoasCopy
        {
            Size = (uint)IommuIoasCopy.NativeSize,
            Flags = MapFlags(),
            DstIoasId = new IoasId(Id(_ioas)),
            SrcIoasId = new IoasId(source),
            Length = _input.Bit() ? length : Length(),
            DstIova = IovaChoice(),
            SrcIova = srcIova,
        };
        if (Ioctl(Iommufd(), IommuIoasCopy.Command, ref copy, "IOAS_COPY") == 0)
        {
            _areas.Add((copy.DstIoasId.Value, copy.DstIova, copy.Length));
        }
    }

    private void AllowIovas()
    {
        var count = (uint)_input.Choice(5);
        var ranges = _args + (2 * Page);
        for (var i = 0; i < count; i++)
        {
            var start = IovaChoice();
            var last = start + Length() - 1;
            _process.Write(ranges + ((ulong)i * 16), MemoryMarshal.AsBytes<ulong>([start, last]));
        }

        var allow = new IommuIoasAllowIovas
        {
            Size = (uint)IommuIoasAllowIovas.NativeSize,
            IoasId = new IoasId(Id(_ioas)),
            NumIovas = _input.Choice(16) == 0 ? _input.U32() : count,
            AllowedIovas = _input.Choice(8) == 0 ? UserAddress() : ranges,
        };
        Ioctl(Iommufd(), IommuIoasAllowIovas.Command, ref allow, "IOAS_ALLOW_IOVAS");
    }

    private void IovaRanges()
    {
        var ranges = new IommuIoasIovaRanges
        {
            Size = (uint)IommuIoasIovaRanges.NativeSize,
            IoasId = new IoasId(Id(_ioas)),
            NumIovas = (uint)_input.Choice(6),
            AllowedIovas = _input.Bit() ? UserAddress() : _args + (2 * Page),
        };
        Ioctl(Iommufd(), IommuIoasIovaRanges.Command, ref ranges, "IOAS_IOVA_RANGES");
    }

    private void Destroy()
    {
        var destroy = new IommuDestroy { Size = (uint)IommuDestroy.NativeSize, Id = new ObjectId(AnyId()) };
        Ioctl(Iommufd(), IommuDestroy.Command, ref destroy, "DESTROY");
    }

    private void HwptAlloc()
    {
        var withData = _input.Choice(3) == 0;
        var data = _args + (3 * Page);
        if (withData)
        {
            _process.Write(data, MemoryMarshal.AsBytes<uint>([_input.Choice(4) == 0 ? _input.U32() : 0, 0]));
        }

        var alloc = new IommuHwptAlloc
        {
            Size = (uint)IommuHwptAlloc.NativeSize,
            Flags = (IommuHwptAllocFlags)_input.Choice(16),
            DevId = new DeviceId(Id(_idevs)),
            PtId = new PageTableId(_input.Bit() ? Id(_ioas) : Id(_hwpts)),
            DataType = withData ? IommuHwptDataType.Selftest : IommuHwptDataType.None,
            DataLen = withData ? (uint)(_input.Choice(3) * 4) + 4 : 0,
            DataUptr = withData ? data : 0,
        };
        if (Ioctl(Iommufd(), IommuHwptAlloc.Command, ref alloc, "HWPT_ALLOC") == 0)
        {
            _hwpts.Add(alloc.OutHwptId.Value);
        }
    }

    private void GetHwInfo()
    {
        var info = new IommuHwInfo
        {
            Size = (uint)IommuHwInfo.NativeSize,
            Flags = (IommuHwInfoFlags)_input.Choice(2),
            DevId = new DeviceId(Id(_idevs)),
            DataLen = (uint)_input.Choice(40),
            DataUptr = UserAddress(),
            DataType = (IommuHwInfoType)_input.Choice(4),
        };
        Ioctl(Iommufd(), IommuHwInfo.Command, ref info, "GET_HW_INFO");
    }

    private void Dirty()
    {
        var hwpt = new HwptId(Id(_hwpts));
        if (_input.Bit())
        {
            var set = new IommuHwptSetDirtyTracking { Size = (uint)IommuHwptSetDirtyTracking.NativeSize, Flags = (IommuHwptDirtyTrackingFlags)_input.Choice(3), HwptId = hwpt };
            Ioctl(Iommufd(), IommuHwptSetDirtyTracking.Command, ref set, "HWPT_SET_DIRTY_TRACKING");
            return;
        }

        var (_, iova, length) = AreaChoice();
        var get = new IommuHwptGetDirtyBitmap
        {
            Size = (uint)IommuHwptGetDirtyBitmap.NativeSize,
            HwptId = hwpt,
            Flags = (IommuHwptGetDirtyBitmapFlags)_input.Choice(3),
            Iova = iova,
            Length = _input.Bit() ? length : Length(),
            PageSize = PageSizeChoice(),
            Data = UserAddress(),
        };
        Ioctl(Iommufd(), IommuHwptGetDirtyBitmap.Command, ref get, "HWPT_GET_DIRTY_BITMAP");
    }

    private void Option()
    {
        var option = new IommuOption
        {
            Size = (uint)IommuOption.NativeSize,
            OptionId = (IommuOptionId)_input.Choice(3),
            Op = (IommuOptionOp)_input.Choice(3),
            ObjectId = new ObjectId(_input.Bit() ? Id(_ioas) : 0),
            Val64 = (ulong)_input.Choice(3),
        };
        Ioctl(Iommufd(), IommuOption.Command, ref option, "OPTION");
    }

    private void Invalidate()
    {
        var entries = _args + (3 * Page);
        _process.Write(entries, _input.Bytes(32));
        var invalidate = new IommuHwptInvalidate
        {
            Size = (uint)IommuHwptInvalidate.NativeSize,
            HwptId = new ObjectId(Id(_hwpts)),
            DataUptr = _input.Choice(6) == 0 ? UserAddress() : entries,
            DataType = (IommuHwptInvalidateDataType)_input.Choice(2),
            EntryLen = (uint)_input.Choice(3) * 8,
            EntryNum = _input.Choice(8) == 0 ? _input.U32() : (uint)_input.Choice(5),
        };
        Ioctl(Iommufd(), IommuHwptInvalidate.Command, ref invalidate, "HWPT_INVALIDATE");
    }

    // ------------------------------------------------------------------ IOMMU_TEST_CMD

    private void MockDomain()
    {
        var cmd = TestCmd(IommuTestOp.MockDomainFlags, _input.Bit() ? Id(_ioas) : Id(_hwpts));
        if (_input.Choice(4) == 0)
        {
            cmd.Op = IommuTestOp.MockDomainReplace;
            cmd.Id = new ObjectId(Id(_stdevs));
            cmd.Payload.MockDomainReplace.PtId = new PageTableId(_input.Bit() ? Id(_ioas) : Id(_hwpts));
            TestIoctl(ref cmd, "MOCK_DOMAIN_REPLACE");
            return;
        }

        cmd.Payload.MockDomainFlags.DevFlags = (MockDeviceFlags)_input.Choice(8);
        if (TestIoctl(ref cmd, "MOCK_DOMAIN") == 0)
        {
            _stdevs.Add(cmd.Payload.MockDomainFlags.OutStdevId.Value);
            _idevs.Add(cmd.Payload.MockDomainFlags.OutIdevId.Value);
            _hwpts.Add(cmd.Payload.MockDomainFlags.OutHwptId.Value);
        }
    }

    private void AccessOp()
    {
        var accessFd = _accessFds.Count > 0 && _input.Choice(8) != 0 ? _accessFds[_input.Choice(_accessFds.Count)] : _input.Choice(12);
        var (_, iova, length) = AreaChoice();
        switch (_input.Choice(5))
        {
            case 0:
            {
                var cmd = TestCmd(IommuTestOp.CreateAccess, Id(_ioas));
                cmd.Payload.CreateAccess.Flags = (MockAccessCreateFlags)_input.Choice(3);
                if (TestIoctl(ref cmd, "CREATE_ACCESS") == 0)
                {
                    _accessFds.Add(cmd.Payload.CreateAccess.OutAccessFd);
                }

                break;
            }

            case 1:
            {
                var cmd = TestCmd(IommuTestOp.AccessPages, (uint)accessFd);
                cmd.Payload.AccessPages = new TestAccessPages
                {
                    Flags = (MockAccessFlags)_input.Choice(3),
                    Iova = iova + ((ulong)_input.Choice(3) * Page),
                    Length = _input.Bit() ? Math.Min(length, 16 * Page) : Length(),
                    Uptr = _input.Bit() ? 0 : UserAddress(),
                };
                if (TestIoctl(ref cmd, "ACCESS_PAGES") == 0)
                {
                    _accessItems.Add(cmd.Payload.AccessPages.OutAccessPagesId);
                }

                break;
            }

            case 2:
            {
                var cmd = TestCmd(IommuTestOp.DestroyAccessPages, (uint)accessFd);
                cmd.Payload.DestroyAccessPages.AccessPagesId = Id(_accessItems);
                TestIoctl(ref cmd, "DESTROY_ACCESS_PAGES");
                break;
            }

            case 3:
            {
                var cmd = TestCmd(IommuTestOp.AccessRw, (uint)accessFd);
                cmd.Payload.AccessRw = new TestAccessRw
                {
                    Iova = iova + (ulong)_input.Choice(64),
                    Length = _input.Bit() ? (ulong)_input.Choice(3 * (int)Page) : Length(),
                    Uptr = UserAddress(),
                    Flags = (MockAccessRwFlags)_input.Choice(4),
                };
                TestIoctl(ref cmd, "ACCESS_RW");
                break;
            }

            default:
            {
                var cmd = TestCmd(IommuTestOp.AccessReplaceIoas, (uint)accessFd);
                cmd.Payload.AccessReplaceIoas.IoasId = new IoasId(Id(_ioas));
                TestIoctl(ref cmd, "ACCESS_REPLACE_IOAS");
                break;
            }
        }
    }

    private void TestCheckOp()
    {
        var (ioas, iova, length) = AreaChoice();
        switch (_input.Choice(6))
        {
            case 0:
            {
                var cmd = TestCmd(IommuTestOp.Dirty, Id(_hwpts));
                cmd.Payload.Dirty = new TestDirty { Iova = iova, Length = _input.Bit() ? length : Length(), PageSize = PageSizeChoice(), Uptr = UserAddress() };
                TestIoctl(ref cmd, "DIRTY");
                break;
            }

            case 1:
            {
                var cmd = TestCmd(IommuTestOp.MdCheckMap, Id(_hwpts));
                cmd.Payload.CheckMap = new TestCheckMap { Iova = iova, Length = Math.Min(length, 64 * Page), Uptr = UserAddress() };
                TestIoctl(ref cmd, "MD_CHECK_MAP");
                break;
            }

            case 2:
            {
                var cmd = TestCmd(IommuTestOp.MdCheckRefs, 0);
                cmd.Payload.CheckRefs = new TestCheckRefs { Length = (ulong)_input.Choice(16) * Page, Uptr = UserAddress(), Refs = (uint)_input.Choice(3) };
                TestIoctl(ref cmd, "MD_CHECK_REFS");
                break;
            }

            case 3:
            {
                var cmd = TestCmd(IommuTestOp.AddReserved, ioas);
                cmd.Payload.AddReserved = new TestAddReserved { Start = IovaChoice(), Length = Length() };
                TestIoctl(ref cmd, "ADD_RESERVED");
                break;
            }

            case 4:
            {
                var cmd = TestCmd(IommuTestOp.SetTempMemoryLimit, 0);
                cmd.Payload.MemoryLimit.Limit = (uint)_input.Choice(64);
                TestIoctl(ref cmd, "SET_TEMP_MEMORY_LIMIT");
                break;
            }

            default:
            {
                var cmd = TestCmd((IommuTestOp)_input.Choice(24), _input.Bit() ? AnyId() : 0);
                var payload = MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref cmd.Payload, 1));
                _input.Bytes(payload.Length).CopyTo(payload);
                TestIoctl(ref cmd, "TEST_CMD");
                break;
            }
        }
    }

    private static IommuTestCmd TestCmd(IommuTestOp op, uint id)
        => new() { Size = (uint)IommuTestCmd.NativeSize, Op = op, Id = new ObjectId(id) };

    private int TestIoctl(ref IommuTestCmd cmd, string what) => Ioctl(Iommufd(), IommuTestCmd.Command, ref cmd, what);

    // ------------------------------------------------------------------ VFIO cdev and the VFIO container

    private void VfioOp()
    {
        if (_vfioFds.Count == 0 || _input.Choice(6) == 0)
        {
            if (_vfioFds.Count < 6)
            {
                _vfioFds.Add(_process.OpenVfioDevice(_nodes[_input.Choice(_nodes.Count)]));
            }

            return;
        }

        var fd = _vfioFds[_input.Choice(_vfioFds.Count)];
        switch (_input.Choice(4))
        {
            case 0:
            {
                var bind = new VfioDeviceBindIommufd { ArgSz = (uint)VfioDeviceBindIommufd.NativeSize, IommuFd = _input.Choice(8) == 0 ? _input.Choice(12) : Iommufd() };
                if (Ioctl(fd, VfioDeviceBindIommufd.Command, ref bind, "VFIO_DEVICE_BIND_IOMMUFD") == 0)
                {
                    _idevs.Add(bind.OutDevId.Value);
                }

                break;
            }

            case 1:
            {
                var attach = new VfioDeviceAttachIommufdPt { ArgSz = (uint)VfioDeviceAttachIommufdPt.NativeSize, PtId = new PageTableId(_input.Bit() ? Id(_ioas) : Id(_hwpts)) };
                if (Ioctl(fd, VfioDeviceAttachIommufdPt.Command, ref attach, "VFIO_DEVICE_ATTACH_IOMMUFD_PT") == 0)
                {
                    _hwpts.Add(attach.PtId.Value);
                }

                break;
            }

            case 2:
            {
                var detach = new VfioDeviceDetachIommufdPt { ArgSz = (uint)VfioDeviceDetachIommufdPt.NativeSize };
                Ioctl(fd, VfioDeviceDetachIommufdPt.Command, ref detach, "VFIO_DEVICE_DETACH_IOMMUFD_PT");
                break;
            }

            default:
            {
                var (_, iova, length) = AreaChoice();
                var dma = new VfioDeviceSimDma
                {
                    ArgSz = (uint)VfioDeviceSimDma.NativeSize,
                    Flags = (VfioDeviceSimDmaFlags)_input.Choice(2),
                    Iova = iova + (ulong)_input.Choice(64),
                    UserVa = UserAddress(),
                    Length = _input.Bit() ? Math.Min(length, 64 * Page) : Length(),
                };
                Ioctl(fd, VfioDeviceSimDma.Command, ref dma, "VFIO_DEVICE_SIM_DMA");
                break;
            }
        }
    }

    private void VfioCompat()
    {
        var fd = Iommufd();
        switch (_input.Choice(4))
        {
            case 0:
            {
                var command = _input.Choice(3) switch { 0 => VfioGetApiVersion.Command, 1 => VfioCheckExtension.Command, _ => VfioSetIommu.Command };
                _checks.Call($"ioctl(0x{command:X})", () => _process.Ioctl(fd, command, (ulong)_input.Choice(12)));
                break;
            }

            case 1:
            {
                var map = new VfioIommuType1DmaMap { ArgSz = (uint)VfioIommuType1DmaMap.NativeSize, Flags = (VfioDmaMapFlags)_input.Choice(8), Vaddr = UserAddress(), Iova = IovaChoice(), Size = Length() };
                Ioctl(fd, VfioIommuType1DmaMap.Command, ref map, "VFIO_IOMMU_MAP_DMA");
                break;
            }

            case 2:
            {
                var (_, iova, length) = AreaChoice();
                var unmap = new VfioIommuType1DmaUnmap { ArgSz = (uint)VfioIommuType1DmaUnmap.NativeSize, Flags = (VfioDmaUnmapFlags)_input.Choice(4), Iova = iova, Size = _input.Bit() ? length : Length() };
                Ioctl(fd, VfioIommuType1DmaUnmap.Command, ref unmap, "VFIO_IOMMU_UNMAP_DMA");
                break;
            }

            default:
            {
                var ioas = new IommuVfioIoas { Size = (uint)IommuVfioIoas.NativeSize, IoasId = new IoasId(Id(_ioas)), Op = (IommuVfioIoasOp)_input.Choice(4) };
                Ioctl(fd, IommuVfioIoas.Command, ref ioas, "IOMMU_VFIO_IOAS");
                break;
            }
        }
    }

    // Anything at all: a command number in or near the iommufd / VFIO ranges, a body of random bytes.
    private void Raw()
    {
        var command = _input.Choice(4) switch
        {
            0 => 0x3B00u | _input.Byte(),
            1 => 0x3B00u | (uint)(0x80 + _input.Choice(0x30)),
            2 => _input.U32(),
            _ => 0x3B64u + (uint)_input.Choice(0x40),
        };
        var body = _input.Bytes(96);
        _process.Write(_args, body);
        var fd = AnyFd();
        var argument = _input.Choice(8) == 0 ? UserAddress() : _args;
        _checks.Call($"ioctl({fd}, 0x{command:X}) raw", () => _process.Ioctl(fd, command, argument));
    }

    private void CloseEverything()
    {
        // Every fd the process has, access and VFIO device fds first (they hold their iommufd), whether or not
        // the program knew it opened them.
        var open = _process.OpenFds;
        var order = _accessFds.Concat(_vfioFds).Where(open.Contains).Concat(open).Distinct().ToList();
        foreach (var fd in order)
        {
            _checks.Call($"close({fd}) at exit", () => -(int)_process.Close(fd), touchesMany: true);
        }

        _checks.AllReleased();
    }

    // ------------------------------------------------------------------ argument choices

    private int Ioctl<T>(int fd, uint command, ref T argument, string what)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref argument, 1));
        var place = _input.Choice(16);
        if (place == 0)
        {
            // Truncate the struct at the end of the argument mapping: its tail is unmapped.
            var cut = _input.Choice(bytes.Length + 1);
            var address = _args + (4 * Page) - (ulong)cut;
            _process.Write(address, bytes[..cut]);
            var cutResult = _checks.Call($"{what} (cut at {cut})", () => _process.Ioctl(fd, command, address));
            _process.Read(address, bytes[..cut]);
            return cutResult;
        }

        if (place == 1)
        {
            var size = _input.U32();
            bytes[..4].Clear();
            MemoryMarshal.Write(bytes, in size);
        }

        var copy = bytes.ToArray();
        var result = _checks.Call(what, () => _process.Ioctl(fd, command, copy));
        copy.CopyTo(bytes);
        return result;
    }

    private int Iommufd() => _iommufds.Count > 0 && _input.Choice(16) != 0 ? _iommufds[_input.Choice(_iommufds.Count)] : AnyFd();

    private int AnyFd()
    {
        var open = _process.OpenFds;
        return open.Count > 0 && _input.Choice(8) != 0 ? open[_input.Choice(open.Count)] : _input.Choice(16);
    }

    private uint Id(List<uint> known) => known.Count > 0 && _input.Choice(6) != 0 ? known[_input.Choice(known.Count)] : (uint)_input.Choice(12);

    private uint AnyId() => _input.Choice(5) switch
    {
        0 => Id(_ioas),
        1 => Id(_hwpts),
        2 => Id(_idevs),
        3 => Id(_stdevs),
        _ => (uint)_input.Choice(24),
    };

    private ulong UserAddress()
    {
        if (_mappings.Count == 0 || _input.Choice(12) == 0)
        {
            return _input.Choice(3) switch { 0 => 0, 1 => _input.U64(), _ => _args + (4 * Page) };
        }

        var (address, length) = _mappings[_input.Choice(_mappings.Count)];
        return _input.Choice(4) switch
        {
            0 => address + ((ulong)_input.U16() % Math.Min(length, 1UL << 16)),
            1 => address + length - (ulong)_input.Choice(64),
            _ => address + ((ulong)_input.Choice(16) * Page),
        };
    }

    private ulong Length() => _input.Choice(8) switch
    {
        0 => 0,
        1 => (ulong)_input.Choice(5000) + 1,
        2 => 1UL << (24 + _input.Choice(40)),
        3 => ulong.MaxValue - (ulong)_input.Choice(2),
        4 => _input.U64(),
        _ => (ulong)(1 + _input.Choice(32)) * Page,
    };

    private ulong IovaChoice() => _input.Choice(6) switch
    {
        0 => 0,
        1 => _input.U64(),
        2 => _areas.Count > 0 ? _areas[_input.Choice(_areas.Count)].Iova + ((ulong)_input.Choice(8) * Page) : Iova,
        _ => Iova + ((ulong)_input.Choice(64) * Page),
    };

    private (uint Ioas, ulong Iova, ulong Length) AreaChoice()
        => _areas.Count > 0 && _input.Choice(4) != 0 ? _areas[_input.Choice(_areas.Count)] : (Id(_ioas), IovaChoice(), Length());

    private IommuIoasMapFlags MapFlags()
    {
        var flags = (IommuIoasMapFlags)_input.Choice(8);
        return _input.Choice(16) == 0 ? flags | (IommuIoasMapFlags)(1u << (3 + _input.Choice(8))) : flags;
    }

    private ulong PageSizeChoice() => _input.Choice(5) switch
    {
        0 => 1,
        1 => 0,
        2 => (ulong)_input.Choice(9000),
        _ => 1UL << (11 + _input.Choice(12)),
    };
}
