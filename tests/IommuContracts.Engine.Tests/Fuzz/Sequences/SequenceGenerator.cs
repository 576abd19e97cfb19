using System.Runtime.InteropServices;
using IommuContracts.Uapi;
using static IommuContracts.Engine.Tests.Fuzz.Sequences.Operand;

namespace IommuContracts.Engine.Tests.Fuzz.Sequences;

/// <summary>
/// Builds random sequences of mmap / munmap / ioctl / close that the real 6.12 kernel can run without devices
/// (booted with <c>intel_iommu=off</c>): iommufd's IOAS, HWPT, option and VFIO-container ioctls, and
/// IOMMU_TEST_CMD's mock devices, domains and accesses. Values are drawn around the interesting edges (the mock
/// aperture, 2048-byte mock IO pages, page and 2 MiB alignment, overflow); IDs, fds, addresses and IOVAs are
/// symbolic (<see cref="Operand"/>) so a sequence means the same on every host. The same seed gives the same
/// sequence. Left out on purpose: what the engine does not model yet (fault queues, the selftest's syzkaller IOVA
/// conversion, page faults) and what needs real devices.
/// </summary>
public sealed class SequenceGenerator
{
    private const ulong Page = 4096;
    private const ulong MockPage = 2048;
    private const ulong ApertureStart = SelftestConstants.MockApertureStart;
    private const ulong ApertureLast = SelftestConstants.MockApertureLast;
    private const int Slots = 3;
    private const int TestPayload = 16;

    private readonly Random _random;
    private readonly int _seed;
    private readonly List<SequenceStep> _steps = new();
    private int _accesses;
    private int _nestParents;
    private int _dirtyHwpts;
    private int _ioases;
    private int _devices;
    private int _nested;

    private SequenceGenerator(int seed)
    {
        _seed = seed;
        _random = new Random(seed);
    }

    /// <summary>The sequence for <paramref name="seed"/>: about <paramref name="length"/> steps after a short setup.</summary>
    public static Sequence Generate(int seed, int length = 40) => new SequenceGenerator(seed).Build(length);

    private Sequence Build(int length)
    {
        // Most sequences start the way real users do: memory, an IOAS, a mock device on it.
        _steps.Add(new MmapStep(0, Pick(4, 8, 16, 32)));
        if (_random.Next(3) != 0)
        {
            _steps.Add(new MmapStep(1, Pick(1, 4, 16)));
        }

        if (_random.Next(6) != 0)
        {
            _steps.Add(IoasAlloc());
        }

        if (_random.Next(3) != 0)
        {
            _steps.Add(MockDomain(onLatestIoas: true));
        }

        while (_steps.Count < length)
        {
            // Steps that need an object of a kind nothing has created yet usually create one first, so the
            // sequence reaches the paths behind the lookups and not only ENOENT.
            // Prerequisites of prerequisites too (a nested HWPT needs a nesting parent, which needs a device).
            var chain = new List<SequenceStep> { Next() };
            while (chain.Count < 4 && NeedsFirst(chain[0]) is { } prerequisite)
            {
                chain.Insert(0, prerequisite);
            }

            _steps.AddRange(chain);
        }

        return new Sequence(_seed, _steps.Take(length).ToList());
    }

    /// <summary>
    /// A step creating what <paramref name="step"/> refers to, now and then: always likely when nothing of that kind
    /// was asked for yet, sometimes otherwise (earlier creations may have failed or been destroyed since).
    /// </summary>
    private IoctlStep? NeedsFirst(SequenceStep step)
    {
        if (step is not IoctlStep ioctl)
        {
            return null;
        }

        var needs = ioctl.Fields.Select(f => f.Value).OfType<PoolRef>().Select(r => r.Kind).ToHashSet();
        bool Want(int created) => _random.Next(created == 0 ? 2 : 5) == 0;
        if (needs.Contains(PoolKind.Ioas) && Want(_ioases))
        {
            return IoasAlloc();
        }

        if ((needs.Contains(PoolKind.Device) || needs.Contains(PoolKind.Stdev) || needs.Contains(PoolKind.HwptPaging)) && Want(_devices))
        {
            return MockDomain(onLatestIoas: true);
        }

        if (needs.Contains(PoolKind.HwptNested) && Want(_nested))
        {
            return HwptAlloc(nested: true);
        }

        if (needs.Contains(PoolKind.AccessFd) && Want(_accesses))
        {
            return CreateAccess(pinning: true);
        }

        if (needs.Contains(PoolKind.NestParent) && Want(_nestParents))
        {
            return HwptAlloc(nestParent: true);
        }

        if (needs.Contains(PoolKind.DirtyHwpt) && Want(_dirtyHwpts))
        {
            return HwptAlloc(dirty: true);
        }

        return null;
    }

    private SequenceStep Next() => _random.Next(100) switch
    {
        < 5 => new MmapStep(_random.Next(Slots), Pick(1, 2, 4, 8, 16, 64)),
        < 8 => new MunmapStep(_random.Next(Slots), _random.Next(16), Pick(1, 1, 2, 4)),
        < 14 => IoasAlloc(),
        < 18 => Destroy(),
        < 34 => Map(),
        < 42 => Unmap(),
        < 46 => Copy(),
        < 50 => IovaRanges(),
        < 53 => AllowIovas(),
        < 56 => Option(),
        < 58 => VfioIoas(),
        < 64 => MockDomain(),
        < 66 => MockDomainReplace(),
        < 70 => CheckMap(),
        < 73 => CheckRefs(),
        < 75 => AddReserved(),
        < 77 => CreateAccess(),
        < 80 => AccessPages(),
        < 81 => DestroyAccessPages(),
        < 84 => AccessRw(),
        < 85 => AccessReplaceIoas(),
        < 86 => new CloseAccessStep(Ordinal()),
        < 87 => SetTempMemoryLimit(),
        < 90 => HwptAlloc(),
        < 91 => HwptInvalidate(),
        < 92 => CheckIotlb(),
        < 93 => GetHwInfo(),
        < 94 => DirtyTracking(),
        < 96 => VfioContainer(),
        < 97 => Unknown(),
        < 98 => new ReopenStep(),
        _ => Malformed(),
    };

    // ---------------------------------------------------------------- IOAS

    private IoctlStep IoasAlloc()
    {
        _ioases++;
        return Ioctl<IommuIoasAlloc>("IOAS_ALLOC",
            [U32<IommuIoasAlloc>(nameof(IommuIoasAlloc.Flags), _random.Next(12) == 0 ? 1UL : 0)],
            products: [new Product(PoolKind.Ioas, Off<IommuIoasAlloc>(nameof(IommuIoasAlloc.OutIoasId)))]);
    }

    private IoctlStep Destroy()
    {
        var kind = (PoolKind)_random.Next(5);
        Operand id = _random.Next(6) == 0 ? new Literal((ulong)_random.Next(0, 12)) : new PoolRef(kind, Ordinal(), 99);
        return Ioctl<IommuDestroy>("DESTROY", [new FieldValue(Off<IommuDestroy>(nameof(IommuDestroy.Id)), 4, id)]);
    }

    private IoctlStep Map()
    {
        var flags = _random.Next(10) switch
        {
            0 => (ulong)IommuIoasMapFlags.Readable,
            1 => (ulong)(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable),
            2 => 0UL,
            3 => (ulong)(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable),
            4 when _random.Next(4) == 0 => 1UL << 3,
            _ => (ulong)(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable),
        };
        var slot = Slot();
        var offset = SourceOffset();
        return Ioctl<IommuIoasMap>("IOAS_MAP",
            [
                U32<IommuIoasMap>(nameof(IommuIoasMap.Flags), flags),
                new FieldValue(Off<IommuIoasMap>(nameof(IommuIoasMap.IoasId)), 4, IoasRef()),
                new FieldValue(Off<IommuIoasMap>(nameof(IommuIoasMap.UserVa)), 8, new Address(slot, offset)),
                U64<IommuIoasMap>(nameof(IommuIoasMap.Length), Length()),
                new FieldValue(Off<IommuIoasMap>(nameof(IommuIoasMap.Iova)), 8, Iova()),
            ],
            iova: new IovaProduct(Off<IommuIoasMap>(nameof(IommuIoasMap.Iova)), Off<IommuIoasMap>(nameof(IommuIoasMap.Length)), Off<IommuIoasMap>(nameof(IommuIoasMap.UserVa))));
    }

    private IoctlStep Unmap()
    {
        var all = _random.Next(8) == 0;
        var ordinal = Recent();
        Operand iova = all ? new Literal(0) : _random.Next(4) switch
        {
            0 => Iova(),
            1 => new IovaRef(ordinal, Length: false, Delta: Page, Fallback: ApertureStart),
            _ => new IovaRef(ordinal, Length: false, Delta: 0, Fallback: ApertureStart),
        };
        Operand length = all ? new Literal(ulong.MaxValue) : _random.Next(4) switch
        {
            0 => new Literal(Length()),
            1 => new IovaRef(ordinal + _random.Next(2), Length: true, Delta: Page, Fallback: Page),
            _ => new IovaRef(ordinal, Length: true, Delta: 0, Fallback: Page),
        };
        return Ioctl<IommuIoasUnmap>("IOAS_UNMAP",
        [
            new FieldValue(Off<IommuIoasUnmap>(nameof(IommuIoasUnmap.IoasId)), 4, IoasRef()),
            new FieldValue(Off<IommuIoasUnmap>(nameof(IommuIoasUnmap.Iova)), 8, iova),
            new FieldValue(Off<IommuIoasUnmap>(nameof(IommuIoasUnmap.Length)), 8, length),
        ]);
    }

    private IoctlStep Copy()
    {
        var ordinal = Recent();
        var flags = _random.Next(6) == 0
            ? (ulong)IommuIoasMapFlags.Writeable
            : (ulong)(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable) & (_random.Next(3) == 0 ? ~1UL : ~0UL);
        return Ioctl<IommuIoasCopy>("IOAS_COPY",
            [
                U32<IommuIoasCopy>(nameof(IommuIoasCopy.Flags), flags),
                new FieldValue(Off<IommuIoasCopy>(nameof(IommuIoasCopy.DstIoasId)), 4, IoasRef()),
                new FieldValue(Off<IommuIoasCopy>(nameof(IommuIoasCopy.SrcIoasId)), 4, IoasRef()),
                new FieldValue(Off<IommuIoasCopy>(nameof(IommuIoasCopy.Length)), 8, _random.Next(3) == 0 ? new Literal(Length()) : new IovaRef(ordinal, Length: true, Delta: 0, Fallback: Page)),
                new FieldValue(Off<IommuIoasCopy>(nameof(IommuIoasCopy.DstIova)), 8, Iova()),
                new FieldValue(Off<IommuIoasCopy>(nameof(IommuIoasCopy.SrcIova)), 8, new IovaRef(ordinal, Length: false, Delta: 0, Fallback: ApertureStart)),
            ],
            iova: new IovaProduct(Off<IommuIoasCopy>(nameof(IommuIoasCopy.DstIova)), Off<IommuIoasCopy>(nameof(IommuIoasCopy.Length)), -1));
    }

    private IoctlStep IovaRanges()
    {
        var capacity = (ulong)_random.Next(0, 4);
        return Ioctl<IommuIoasIovaRanges>("IOAS_IOVA_RANGES",
            [
                new FieldValue(Off<IommuIoasIovaRanges>(nameof(IommuIoasIovaRanges.IoasId)), 4, IoasRef()),
                U32<IommuIoasIovaRanges>(nameof(IommuIoasIovaRanges.NumIovas), capacity),
                new FieldValue(Off<IommuIoasIovaRanges>(nameof(IommuIoasIovaRanges.AllowedIovas)), 8, new Scratch(0)),
            ],
            readBacks: [new ReadBack(new Scratch(0), 64)],
            scratch: new byte[64]);
    }

    private IoctlStep AllowIovas()
    {
        var count = _random.Next(0, 3);
        var ranges = new byte[count * 16];
        var start = ApertureStart + ((ulong)_random.Next(0, 64) * Page);
        for (var i = 0; i < count; i++)
        {
            var last = start + ((ulong)_random.Next(1, 256) * Page) - (_random.Next(8) == 0 ? 0UL : 1UL);
            if (_random.Next(6) == 0)
            {
                last = start;
            }

            BitConverter.TryWriteBytes(ranges.AsSpan(i * 16), start);
            BitConverter.TryWriteBytes(ranges.AsSpan((i * 16) + 8), last);
            start = last + 1 + ((ulong)_random.Next(0, 4) * Page);
        }

        return Ioctl<IommuIoasAllowIovas>("IOAS_ALLOW_IOVAS",
            [
                new FieldValue(Off<IommuIoasAllowIovas>(nameof(IommuIoasAllowIovas.IoasId)), 4, IoasRef()),
                U32<IommuIoasAllowIovas>(nameof(IommuIoasAllowIovas.NumIovas), (ulong)count),
                new FieldValue(Off<IommuIoasAllowIovas>(nameof(IommuIoasAllowIovas.AllowedIovas)), 8, new Scratch(0x100)),
            ],
            scratch: ranges,
            scratchOffset: 0x100);
    }

    private IoctlStep Option()
    {
        var huge = _random.Next(3) != 0;
        return Ioctl<IommuOption>("OPTION",
        [
            U32<IommuOption>(nameof(IommuOption.OptionId), huge ? (ulong)IommuOptionId.HugePages : (ulong)IommuOptionId.RlimitMode),
            new FieldValue(Off<IommuOption>(nameof(IommuOption.Op)), 2, new Literal((ulong)_random.Next(0, 2))),
            new FieldValue(Off<IommuOption>(nameof(IommuOption.ObjectId)), 4, huge ? IoasRef() : new Literal(_random.Next(6) == 0 ? 1UL : 0)),
            U64<IommuOption>(nameof(IommuOption.Val64), (ulong)Pick(0, 1, 1, 2)),
        ]);
    }

    private IoctlStep VfioIoas() => Ioctl<IommuVfioIoas>("VFIO_IOAS",
    [
        new FieldValue(Off<IommuVfioIoas>(nameof(IommuVfioIoas.IoasId)), 4, IoasRef()),
        new FieldValue(Off<IommuVfioIoas>(nameof(IommuVfioIoas.Op)), 2, new Literal((ulong)Pick(0, 1, 1, 1, 2, 3))),
    ]);

    // ---------------------------------------------------------------- IOMMU_TEST_CMD

    private IoctlStep MockDomain(bool onLatestIoas = false)
    {
        _devices++;
        var flagged = !onLatestIoas && _random.Next(4) == 0;
        var flags = flagged ? (ulong)Pick(0, 1, 2, 3, 4, 8) : 0;
        Operand pt = onLatestIoas ? new PoolRef(PoolKind.Ioas, -1, 0) : _random.Next(5) == 0 ? new PoolRef(PoolKind.HwptPaging, Ordinal(), 0) : IoasRef();
        return TestCmd(flagged ? "MOCK_DOMAIN_FLAGS" : "MOCK_DOMAIN", flagged ? IommuTestOp.MockDomainFlags : IommuTestOp.MockDomain, pt,
            flagged ? [Payload<TestMockDomainFlags>(nameof(TestMockDomainFlags.DevFlags), 4, new Literal(flags))] : [],
            products:
            [
                new Product(PoolKind.Stdev, TestPayload + Off<TestMockDomain>(nameof(TestMockDomain.OutStdevId))),
                new Product(PoolKind.HwptPaging, TestPayload + Off<TestMockDomain>(nameof(TestMockDomain.OutHwptId))),
                new Product(PoolKind.Device, TestPayload + Off<TestMockDomain>(nameof(TestMockDomain.OutIdevId))),
            ]);
    }

    private IoctlStep MockDomainReplace()
    {
        Operand pt = _random.Next(2) == 0 ? IoasRef() : new PoolRef((PoolKind)_random.Next(1, 3), Ordinal(), 0);
        return TestCmd("MOCK_DOMAIN_REPLACE", IommuTestOp.MockDomainReplace, new PoolRef(PoolKind.Stdev, Recent(), 0),
            [Payload<TestMockDomainReplace>(nameof(TestMockDomainReplace.PtId), 4, pt)]);
    }

    private IoctlStep CheckMap()
    {
        var ordinal = Recent();
        var partial = _random.Next(4) == 0;
        return TestCmd("MD_CHECK_MAP", IommuTestOp.MdCheckMap, new PoolRef(PoolKind.HwptPaging, Recent(), 0),
        [
            Payload<TestCheckMap>(nameof(TestCheckMap.Iova), 8, new IovaRef(ordinal, Length: false, Delta: partial ? MockPage : 0, Fallback: ApertureStart)),
            Payload<TestCheckMap>(nameof(TestCheckMap.Length), 8, partial ? new Literal(MockPage * (ulong)_random.Next(1, 4)) : new IovaRef(ordinal, Length: true, Delta: 0, Fallback: Page)),
            Payload<TestCheckMap>(nameof(TestCheckMap.Uptr), 8, new IovaSource(ordinal, partial ? MockPage : 0, SequenceRun.NowhereAddress)),
        ]);
    }

    private IoctlStep CheckRefs() => TestCmd("MD_CHECK_REFS", IommuTestOp.MdCheckRefs, new Literal(0),
    [
        Payload<TestCheckRefs>(nameof(TestCheckRefs.Length), 8, new Literal((ulong)Pick(1, 2, 4, 8) * Page)),
        Payload<TestCheckRefs>(nameof(TestCheckRefs.Uptr), 8, new Address(Slot(), (ulong)_random.Next(0, 8) * Page)),
        Payload<TestCheckRefs>(nameof(TestCheckRefs.Refs), 4, new Literal((ulong)Pick(0, 0, 1, 1, 2))),
    ]);

    private IoctlStep AddReserved() => TestCmd("ADD_RESERVED", IommuTestOp.AddReserved, IoasRef(),
    [
        Payload<TestAddReserved>(nameof(TestAddReserved.Start), 8, Iova()),
        Payload<TestAddReserved>(nameof(TestAddReserved.Length), 8, new Literal(_random.Next(10) == 0 ? 0 : Length())),
    ]);

    private IoctlStep CreateAccess(bool pinning = false)
    {
        _accesses++;
        return TestCmd("CREATE_ACCESS", IommuTestOp.CreateAccess, IoasRef(),
            [Payload<TestCreateAccess>(nameof(TestCreateAccess.Flags), 4, new Literal(pinning ? 1UL : (ulong)Pick(0, 1, 1, 2)))],
            products: [new Product(PoolKind.AccessFd, TestPayload + Off<TestCreateAccess>(nameof(TestCreateAccess.OutAccessFd)))]);
    }

    private IoctlStep AccessPages()
    {
        var ordinal = Recent();
        var whole = _random.Next(3) != 0;
        return TestCmd("ACCESS_PAGES", IommuTestOp.AccessPages, new PoolRef(PoolKind.AccessFd, Recent(), 999),
            [
                Payload<TestAccessPages>(nameof(TestAccessPages.Flags), 4, new Literal((ulong)Pick(0, 1))),
                Payload<TestAccessPages>(nameof(TestAccessPages.Iova), 8, new IovaRef(ordinal, Length: false, Delta: whole ? 0 : Page, Fallback: ApertureStart)),
                Payload<TestAccessPages>(nameof(TestAccessPages.Length), 8, whole ? new IovaRef(ordinal, Length: true, Delta: 0, Fallback: Page) : new Literal(Page)),
                Payload<TestAccessPages>(nameof(TestAccessPages.Uptr), 8, _random.Next(3) == 0 ? new Literal(0) : new IovaSource(ordinal, whole ? 0 : Page, 0)),
            ],
            products: [new Product(PoolKind.AccessItem, TestPayload + Off<TestAccessPages>(nameof(TestAccessPages.OutAccessPagesId)))]);
    }

    private IoctlStep DestroyAccessPages() => TestCmd("DESTROY_ACCESS_PAGES", IommuTestOp.DestroyAccessPages, new PoolRef(PoolKind.AccessFd, Recent(), 999),
        [Payload<TestDestroyAccessPages>(nameof(TestDestroyAccessPages.AccessPagesId), 4, new PoolRef(PoolKind.AccessItem, Recent(), 7))]);

    private IoctlStep AccessRw()
    {
        var ordinal = Recent();
        var write = _random.Next(3) == 0;
        var length = (ulong)Pick(1, 8, 64, 512, 4096, 5000);
        var buffer = new Address(Slot(), (ulong)_random.Next(0, 4) * Page);
        return TestCmd("ACCESS_RW", IommuTestOp.AccessRw, new PoolRef(PoolKind.AccessFd, Recent(), 999),
            [
                Payload<TestAccessRw>(nameof(TestAccessRw.Iova), 8, new IovaRef(ordinal, Length: false, Delta: (ulong)_random.Next(0, 3) * 100, Fallback: ApertureStart)),
                Payload<TestAccessRw>(nameof(TestAccessRw.Length), 8, new Literal(length)),
                Payload<TestAccessRw>(nameof(TestAccessRw.Uptr), 8, buffer),
                Payload<TestAccessRw>(nameof(TestAccessRw.Flags), 4, new Literal((write ? 1UL : 0) | (_random.Next(3) == 0 ? 4UL : 0))),
            ],
            readBacks: write ? [] : [new ReadBack(buffer, (int)Math.Min(length, 256))]);
    }

    private IoctlStep AccessReplaceIoas() => TestCmd("ACCESS_REPLACE_IOAS", IommuTestOp.AccessReplaceIoas, new PoolRef(PoolKind.AccessFd, Recent(), 999),
        [Payload<TestAccessReplaceIoas>(nameof(TestAccessReplaceIoas.IoasId), 4, IoasRef())]);

    private IoctlStep SetTempMemoryLimit() => TestCmd("SET_TEMP_MEMORY_LIMIT", IommuTestOp.SetTempMemoryLimit, new Literal(0),
        [Payload<TestMemoryLimit>(nameof(TestMemoryLimit.Limit), 4, new Literal((ulong)Pick(0, 11, 12, 16, 64, 65536)))]);

    private IoctlStep CheckIotlb() => TestCmd("MD_CHECK_IOTLB", IommuTestOp.MdCheckIotlb, new PoolRef(_random.Next(4) == 0 ? PoolKind.HwptPaging : PoolKind.HwptNested, Recent(), 0),
    [
        Payload<TestCheckIotlb>(nameof(TestCheckIotlb.Id), 4, new Literal((ulong)_random.Next(0, 5))),
        Payload<TestCheckIotlb>(nameof(TestCheckIotlb.Iotlb), 4, new Literal(Pick(0U, SelftestConstants.TestIotlbDefault, 0x1234U))),
    ]);

    // ---------------------------------------------------------------- HWPT

    private IoctlStep HwptAlloc(bool nestParent = false, bool dirty = false, bool nested = false)
    {
        nested |= !nestParent && !dirty && _random.Next(3) == 0;
        if (nested)
        {
            _nested++;
        }

        var flags = nested
            ? (ulong)Pick(0, 0, 0, 4, 1)
            : nestParent ? 1UL : dirty ? 2UL : (ulong)Pick(0, 0, 1, 1, 2, 2, 3, 4, 5, 8, 16);
        var products = new List<Product> { new(nested ? PoolKind.HwptNested : PoolKind.HwptPaging, Off<IommuHwptAlloc>(nameof(IommuHwptAlloc.OutHwptId))) };
        if (!nested && (flags & 1) != 0)
        {
            _nestParents++;
            products.Add(new Product(PoolKind.NestParent, Off<IommuHwptAlloc>(nameof(IommuHwptAlloc.OutHwptId))));
        }

        if (!nested && (flags & 2) != 0)
        {
            _dirtyHwpts++;
            products.Add(new Product(PoolKind.DirtyHwpt, Off<IommuHwptAlloc>(nameof(IommuHwptAlloc.OutHwptId))));
        }

        var withData = nested ? _random.Next(8) != 0 : !nestParent && !dirty && _random.Next(8) == 0;
        var dataLength = withData ? (ulong)Pick(4, 4, 4, 3, 8) : 0;
        var data = new byte[8];
        BitConverter.TryWriteBytes(data, _random.Next(4) == 0 ? 0x5555u : SelftestConstants.TestIotlbDefault);
        if (_random.Next(6) == 0)
        {
            data[5] = 1;
        }

        Operand pt = nested ? new PoolRef(_random.Next(4) == 0 ? PoolKind.HwptPaging : PoolKind.NestParent, Recent(), 0) : IoasRef();
        return Ioctl<IommuHwptAlloc>("HWPT_ALLOC",
            [
                U32<IommuHwptAlloc>(nameof(IommuHwptAlloc.Flags), flags),
                new FieldValue(Off<IommuHwptAlloc>(nameof(IommuHwptAlloc.DevId)), 4, new PoolRef(PoolKind.Device, Recent(), 0)),
                new FieldValue(Off<IommuHwptAlloc>(nameof(IommuHwptAlloc.PtId)), 4, pt),
                U32<IommuHwptAlloc>(nameof(IommuHwptAlloc.DataType), withData ? (ulong)IommuHwptDataType.Selftest : (_random.Next(10) == 0 ? 1UL : 0)),
                U32<IommuHwptAlloc>(nameof(IommuHwptAlloc.DataLen), dataLength),
                new FieldValue(Off<IommuHwptAlloc>(nameof(IommuHwptAlloc.DataUptr)), 8, withData && _random.Next(8) != 0 ? new Scratch(0x400) : new Literal(0)),
                U32<IommuHwptAlloc>(nameof(IommuHwptAlloc.FaultId), (flags & 4) != 0 ? (ulong)_random.Next(0, 30) : 0),
            ],
            products: products,
            scratch: data,
            scratchOffset: 0x400);
    }

    private IoctlStep HwptInvalidate()
    {
        var count = _random.Next(0, 3);
        var entries = new byte[16];
        for (var i = 0; i < 2; i++)
        {
            BitConverter.TryWriteBytes(entries.AsSpan(i * 8), (uint)Pick(0, 0, 0, 1, 2));
            BitConverter.TryWriteBytes(entries.AsSpan((i * 8) + 4), (uint)_random.Next(0, 5));
        }

        return Ioctl<IommuHwptInvalidate>("HWPT_INVALIDATE",
            [
                new FieldValue(Off<IommuHwptInvalidate>(nameof(IommuHwptInvalidate.HwptId)), 4, new PoolRef(_random.Next(4) == 0 ? PoolKind.HwptPaging : PoolKind.HwptNested, Recent(), 0)),
                new FieldValue(Off<IommuHwptInvalidate>(nameof(IommuHwptInvalidate.DataUptr)), 8, _random.Next(8) == 0 ? new Literal(0) : new Scratch(0x800)),
                U32<IommuHwptInvalidate>(nameof(IommuHwptInvalidate.DataType), Pick(0xdeadbeefUL, 0xdeadbeefUL, 0xdeadbeefUL, 0xdadbeefUL, 0UL)),
                U32<IommuHwptInvalidate>(nameof(IommuHwptInvalidate.EntryLen), (ulong)Pick(8, 8, 8, 4, 9, 0)),
                U32<IommuHwptInvalidate>(nameof(IommuHwptInvalidate.EntryNum), (ulong)count),
            ],
            scratch: entries,
            scratchOffset: 0x800);
    }

    private IoctlStep GetHwInfo() => Ioctl<IommuHwInfo>("GET_HW_INFO",
        [
            U32<IommuHwInfo>(nameof(IommuHwInfo.Flags), _random.Next(5) == 0 ? 1UL : 0),
            new FieldValue(Off<IommuHwInfo>(nameof(IommuHwInfo.DevId)), 4, new PoolRef(PoolKind.Device, Recent(), 0)),
            U32<IommuHwInfo>(nameof(IommuHwInfo.DataLen), (ulong)Pick(0, 4, 8, 16)),
            new FieldValue(Off<IommuHwInfo>(nameof(IommuHwInfo.DataUptr)), 8, new Scratch(0xC00)),
        ],
        readBacks: [new ReadBack(new Scratch(0xC00), 16)],
        scratch: Enumerable.Repeat((byte)0xAA, 16).ToArray(),
        scratchOffset: 0xC00);

    private IoctlStep DirtyTracking()
    {
        var hwpt = new PoolRef(_random.Next(4) == 0 ? PoolKind.HwptPaging : PoolKind.DirtyHwpt, Recent(), 0);
        var ordinal = Recent();
        return _random.Next(3) switch
        {
            0 => Ioctl<IommuHwptSetDirtyTracking>("HWPT_SET_DIRTY_TRACKING",
            [
                U32<IommuHwptSetDirtyTracking>(nameof(IommuHwptSetDirtyTracking.Flags), (ulong)Pick(0, 1, 1, 2)),
                new FieldValue(Off<IommuHwptSetDirtyTracking>(nameof(IommuHwptSetDirtyTracking.HwptId)), 4, hwpt),
            ]),
            1 => Ioctl<IommuHwptGetDirtyBitmap>("HWPT_GET_DIRTY_BITMAP",
                [
                    new FieldValue(Off<IommuHwptGetDirtyBitmap>(nameof(IommuHwptGetDirtyBitmap.HwptId)), 4, hwpt),
                    U32<IommuHwptGetDirtyBitmap>(nameof(IommuHwptGetDirtyBitmap.Flags), (ulong)Pick(0, 1)),
                    new FieldValue(Off<IommuHwptGetDirtyBitmap>(nameof(IommuHwptGetDirtyBitmap.Iova)), 8, new IovaRef(ordinal, Length: false, Delta: 0, Fallback: ApertureStart)),
                    new FieldValue(Off<IommuHwptGetDirtyBitmap>(nameof(IommuHwptGetDirtyBitmap.Length)), 8, new IovaRef(ordinal, Length: true, Delta: 0, Fallback: Page)),
                    U64<IommuHwptGetDirtyBitmap>(nameof(IommuHwptGetDirtyBitmap.PageSize), (ulong)Pick(4096, 4096, 2048, 0)),
                    new FieldValue(Off<IommuHwptGetDirtyBitmap>(nameof(IommuHwptGetDirtyBitmap.Data)), 8, new Scratch(0x1000)),
                ],
                readBacks: [new ReadBack(new Scratch(0x1000), 32)],
                scratch: new byte[64],
                scratchOffset: 0x1000),
            _ => TestCmd("DIRTY", IommuTestOp.Dirty, hwpt,
                [
                    Payload<TestDirty>(nameof(TestDirty.Iova), 8, new IovaRef(ordinal, Length: false, Delta: 0, Fallback: ApertureStart)),
                    Payload<TestDirty>(nameof(TestDirty.Length), 8, new IovaRef(ordinal, Length: true, Delta: 0, Fallback: Page)),
                    Payload<TestDirty>(nameof(TestDirty.PageSize), 8, new Literal((ulong)Pick(4096, 2048))),
                    Payload<TestDirty>(nameof(TestDirty.Uptr), 8, new Scratch(0x1800)),
                ],
                scratch: Enumerable.Repeat((byte)_random.Next(1, 256), 32).ToArray(),
                scratchOffset: 0x1800),
        };
    }

    // ---------------------------------------------------------------- VFIO container compatibility

    private IoctlStep VfioContainer()
    {
        switch (_random.Next(6))
        {
            case 0:
                return Value(VfioGetApiVersion.Command, "VFIO_GET_API_VERSION", 0);
            case 1:
                return Value(VfioCheckExtension.Command, "VFIO_CHECK_EXTENSION", (ulong)_random.Next(0, 12));
            case 2:
                return Value(VfioSetIommu.Command, "VFIO_SET_IOMMU", (ulong)Pick(1, 3, 3, 8));
            case 3:
                return Ioctl<VfioIommuType1DmaMap>("VFIO_IOMMU_MAP_DMA",
                [
                    U32<VfioIommuType1DmaMap>(nameof(VfioIommuType1DmaMap.ArgSz), (ulong)Marshal.SizeOf<VfioIommuType1DmaMap>()),
                    U32<VfioIommuType1DmaMap>(nameof(VfioIommuType1DmaMap.Flags), (ulong)Pick(3, 3, 1, 0, 4)),
                    new FieldValue(Off<VfioIommuType1DmaMap>(nameof(VfioIommuType1DmaMap.Vaddr)), 8, new Address(Slot(), SourceOffset())),
                    new FieldValue(Off<VfioIommuType1DmaMap>(nameof(VfioIommuType1DmaMap.Iova)), 8, Iova()),
                    U64<VfioIommuType1DmaMap>(nameof(VfioIommuType1DmaMap.Size), Length()),
                ], sizeField: false);
            case 4:
                return Ioctl<VfioIommuType1DmaUnmap>("VFIO_IOMMU_UNMAP_DMA",
                [
                    U32<VfioIommuType1DmaUnmap>(nameof(VfioIommuType1DmaUnmap.ArgSz), (ulong)Marshal.SizeOf<VfioIommuType1DmaUnmap>()),
                    U32<VfioIommuType1DmaUnmap>(nameof(VfioIommuType1DmaUnmap.Flags), (ulong)Pick(0, 0, 2, 1)),
                    new FieldValue(Off<VfioIommuType1DmaUnmap>(nameof(VfioIommuType1DmaUnmap.Iova)), 8, new IovaRef(Ordinal(), Length: false, Delta: 0, Fallback: ApertureStart)),
                    new FieldValue(Off<VfioIommuType1DmaUnmap>(nameof(VfioIommuType1DmaUnmap.Size)), 8, _random.Next(3) == 0 ? new Literal(0) : new IovaRef(Ordinal(), Length: true, Delta: 0, Fallback: Page)),
                ], sizeField: false);
            default:
                return Ioctl<VfioIommuType1Info>("VFIO_IOMMU_GET_INFO",
                    [U32<VfioIommuType1Info>(nameof(VfioIommuType1Info.ArgSz), (ulong)Pick(16, 24, 24, 8))], sizeField: false);
        }
    }

    // ---------------------------------------------------------------- edges

    /// <summary>A command past 6.12's table (0x8F–0x9F) or an ioctl on an access fd: ENOTTY on 6.12.</summary>
    private IoctlStep Unknown()
    {
        var number = (uint)_random.Next(0x8F, 0xA0);
        var step = new IoctlStep($"ioctl 0x3B{number:X2}", 0x3B00u | number, 24, [new FieldValue(0, 4, new Literal(24))]);
        return _random.Next(4) == 0 ? step with { Name = "ioctl on an access fd", Command = IommuIoasAlloc.Command, OnAccessFd = true } : step;
    }

    /// <summary>A well-formed command with a bad size field, a NULL argument or a struct running into the guard page.</summary>
    private IoctlStep Malformed()
    {
        var step = _random.Next(3) switch { 0 => IoasAlloc(), 1 => Map(), _ => Destroy() };
        return _random.Next(4) switch
        {
            0 => step with { Placement = ArgumentPlacement.Null, Products = null, Iova = null },
            1 => step with { Placement = ArgumentPlacement.StraddlingGuard, Products = null, Iova = null },
            2 => step with { Fields = [.. step.Fields.Where(f => f.Offset != 0), new FieldValue(0, 4, new Literal((ulong)(step.Size - 1)))] },
            _ => step with { Size = step.Size + 8, Fields = [.. step.Fields.Where(f => f.Offset != 0), new FieldValue(0, 4, new Literal((ulong)step.Size + 8)), new FieldValue(step.Size, 8, new Literal((ulong)_random.Next(0, 2)))] },
        };
    }

    // ---------------------------------------------------------------- values

    private Operand IoasRef() => _random.Next(12) == 0 ? new Literal((ulong)_random.Next(0, 8)) : new PoolRef(PoolKind.Ioas, Recent(), 0);

    private int Ordinal() => _random.Next(4) == 0 ? _random.Next(0, 8) : _random.Next(0, 2);

    /// <summary>Mostly the latest one produced (−1), sometimes an older one.</summary>
    private int Recent() => _random.Next(3) == 0 ? Ordinal() : -1 - _random.Next(0, 2);

    /// <summary>Mostly slot 0, which every sequence maps first.</summary>
    private int Slot() => _random.Next(3) == 0 ? _random.Next(Slots) : 0;

    /// <summary>Where a map's memory starts in its slot: mostly page aligned, sometimes at a mock page or an odd offset.</summary>
    private ulong SourceOffset() => _random.Next(8) switch
    {
        0 => MockPage,
        1 => (ulong)_random.Next(1, 4096),
        _ => (ulong)_random.Next(0, 16) * Page,
    };

    private ulong Length() => _random.Next(12) switch
    {
        0 => 0,
        1 => MockPage,
        2 => MockPage * 3,
        3 => (ulong)_random.Next(1, 5000),
        4 => ulong.MaxValue - (ulong)_random.Next(0, 2),
        5 => 2UL << 20,
        _ => (ulong)Pick(1, 1, 2, 3, 4, 8, 16) * Page,
    };

    private Operand Iova() => _random.Next(10) switch
    {
        0 => new Literal(0),
        1 => new Literal(ApertureLast + 1 - Page),
        2 => new Literal(ApertureStart - Page),
        3 => new Literal(ApertureStart + MockPage),
        4 => new IovaRef(Ordinal(), Length: false, Delta: (ulong)_random.Next(0, 3) * Page, Fallback: ApertureStart),
        5 => new Literal(ulong.MaxValue - Page + 1),
        _ => new Literal(ApertureStart + ((ulong)_random.Next(0, 64) * Page)),
    };

    private T Pick<T>(params T[] values) => values[_random.Next(values.Length)];

    // ---------------------------------------------------------------- struct building

    private static int Off<T>(string field) => (int)Marshal.OffsetOf<T>(field);

    private static FieldValue U32<T>(string field, ulong value) => new(Off<T>(field), 4, new Literal(value));

    private static FieldValue U64<T>(string field, ulong value) => new(Off<T>(field), 8, new Literal(value));

    private static FieldValue Payload<T>(string field, int width, Operand value) => new(TestPayload + Off<T>(field), width, value);

    private static IoctlStep Ioctl<T>(string name, IReadOnlyList<FieldValue> fields, IReadOnlyList<Product>? products = null, IovaProduct? iova = null,
        IReadOnlyList<ReadBack>? readBacks = null, byte[]? scratch = null, ulong scratchOffset = 0, bool sizeField = true)
        where T : unmanaged
    {
        var size = Marshal.SizeOf<T>();
        var command = (uint)typeof(T).GetField("Command")!.GetRawConstantValue()!;
        IReadOnlyList<FieldValue> all = sizeField ? [new FieldValue(0, 4, new Literal((ulong)size)), .. fields] : fields;
        return new IoctlStep(name, command, size, all, Products: products, Iova: iova, ReadBacks: readBacks, ScratchBytes: scratch, ScratchOffset: scratchOffset);
    }

    private static IoctlStep TestCmd(string name, IommuTestOp op, Operand id, IReadOnlyList<FieldValue> payload, IReadOnlyList<Product>? products = null,
        IReadOnlyList<ReadBack>? readBacks = null, byte[]? scratch = null, ulong scratchOffset = 0)
        => Ioctl<IommuTestCmd>(name,
            [U32<IommuTestCmd>(nameof(IommuTestCmd.Op), (ulong)op), new FieldValue(Off<IommuTestCmd>(nameof(IommuTestCmd.Id)), 4, id), .. payload],
            products, readBacks: readBacks, scratch: scratch, scratchOffset: scratchOffset);

    private static IoctlStep Value(uint command, string name, ulong value)
        => new(name, command, 8, [new FieldValue(0, 8, new Literal(value))], ArgumentPlacement.Value);
}
