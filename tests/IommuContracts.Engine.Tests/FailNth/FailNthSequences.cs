using IommuContracts.Uapi;
using static IommuContracts.Engine.Tests.FailNth.FailNthStep;

namespace IommuContracts.Engine.Tests.FailNth;

/// <summary>
/// The sequences of tools/testing/selftests/iommu/iommufd_fail_nth.c, step for step, with
/// fail_nth_enable() where the kernel test puts it. map_file_domain is not here: IOMMU_IOAS_MAP_FILE is
/// not modelled by the engine (it answers EOPNOTSUPP).
/// </summary>
internal static class FailNthSequences
{
    private const ulong PageSize = FailNthSession.PageSize;
    private const ulong BufferSize = FailNthSession.BufferSize;
    private const ulong Map256K = 262144;

    public static FailNthSequence Basic { get; } = new("basic", BuildBasic);

    public static FailNthSequence MapDomain { get; } = new("map_domain", BuildMapDomain);

    public static FailNthSequence MapTwoDomains { get; } = new("map_two_domains", BuildMapTwoDomains);

    public static FailNthSequence AccessRw { get; } = new("access_rw", BuildAccessRw);

    public static FailNthSequence AccessPin { get; } = new("access_pin", BuildAccessPin);

    public static FailNthSequence AccessPinDomain { get; } = new("access_pin_domain", BuildAccessPinDomain);

    public static FailNthSequence Device { get; } = new("device", BuildDevice);

    public static IReadOnlyList<FailNthSequence> All { get; } = [Basic, MapDomain, MapTwoDomains, AccessRw, AccessPin, AccessPinDomain, Device];

    public static FailNthSequence ByName(string name) => All.Single(s => s.Name == name);

    // Covers ioas.c.
    private static IReadOnlyList<FailNthStep> BuildBasic(FailNthSession s)
    {
        IoasId ioas = default;
        ulong iova = 0;
        var ranges = s.Scratch(10 * 16);
        return
        [
            EnableInjection,
            Ok("open /dev/iommu", s.Open),
            Ok("IOAS_ALLOC", () => s.IoasAlloc(out ioas)),
            Ok("IOAS_IOVA_RANGES (10 entries)", () =>
            {
                uint count = 10;
                var result = s.File.IoasIovaRanges(ioas, ranges, ref count, out var alignment);
                return new(result, $"{count} ranges, alignment {alignment}, data {s.Checksum(ranges, count * 16)}");
            }),
            Ok("IOAS_ALLOW_IOVAS [16K, BUFFER_SIZE + 600 x 16K - 1]", () =>
            {
                s.WriteRange(ranges, 16 * 1024, BufferSize + (16 * 1024 * 600) - 1);
                return new(s.File.IoasAllowIovas(ioas, 1, ranges));
            }),
            Ok("IOAS_MAP buffer (BUFFER_SIZE)", () => s.Map(ioas, s.Buffer, BufferSize, out iova)),
            Ok("IOAS_COPY 160 bytes within the IOAS", () =>
            {
                ulong destination = 0;
                var result = s.File.IoasCopy(IommuIoasMapFlags.Writeable | IommuIoasMapFlags.Readable, ioas, ioas, 10 * 16, iova, ref destination);
                return new(result, $"dst iova 0x{destination:X}");
            }),
            Ok("IOAS_UNMAP BUFFER_SIZE", () => s.Unmap(ioas, iova, BufferSize)),
            Fails("IOAS_UNMAP again", Errno.ENOENT, "the kernel's failure path of no IOVA to unmap; its result is ignored",
                () => s.Unmap(ioas, iova, BufferSize)),
        ];
    }

    // iopt_area_fill_domains() and iopt_area_fill_domain().
    private static IReadOnlyList<FailNthStep> BuildMapDomain(FailNthSession s)
    {
        IoasId ioas = default;
        SelftestId stdev = default;
        return
        [
            Ok("open /dev/iommu", s.Open),
            Ok("IOAS_ALLOC", () => s.IoasAlloc(out ioas)),
            Ok("SET_TEMP_MEMORY_LIMIT 32", () => s.SetTempMemoryLimit(32)),
            EnableInjection,
            Ok("MOCK_DOMAIN", () => s.MockDomain(ioas, out stdev, out _, out _)),
            Ok("IOAS_MAP 256 KiB", () => s.Map(ioas, s.Buffer, Map256K, out _)),
            Ok("DESTROY stdev", () => s.Destroy(stdev)),
            Ok("MOCK_DOMAIN (fills the existing mapping)", () => s.MockDomain(ioas, out stdev, out _, out _)),
        ];
    }

    private static IReadOnlyList<FailNthStep> BuildMapTwoDomains(FailNthSession s)
    {
        IoasId ioas = default;
        SelftestId stdev = default;
        SelftestId stdev2 = default;
        return
        [
            Ok("open /dev/iommu", s.Open),
            Ok("IOAS_ALLOC", () => s.IoasAlloc(out ioas)),
            Ok("SET_TEMP_MEMORY_LIMIT 32", () => s.SetTempMemoryLimit(32)),
            Ok("MOCK_DOMAIN", () => s.MockDomain(ioas, out stdev, out _, out _)),
            EnableInjection,
            Attach("MOCK_DOMAIN #2", () => s.MockDomain(ioas, out stdev2, out _, out _)),
            Ok("IOAS_MAP 256 KiB", () => s.Map(ioas, s.Buffer, Map256K, out _)),
            Ok("DESTROY stdev", () => s.Destroy(stdev)),
            Ok("DESTROY stdev #2", () => s.Destroy(stdev2)),
            Ok("MOCK_DOMAIN (fills the existing mapping)", () => s.MockDomain(ioas, out stdev, out _, out _)),
            Attach("MOCK_DOMAIN #2 (fills the existing mapping)", () => s.MockDomain(ioas, out stdev2, out _, out _)),
        ];
    }

    private static IReadOnlyList<FailNthStep> BuildAccessRw(FailNthSession s)
    {
        IoasId ioas = default;
        ulong iova = 0;
        var tmp = s.Scratch(32 * sizeof(ushort));
        var tmpBig = s.Scratch(4096 * sizeof(ulong));
        const ulong TmpLength = 32 * sizeof(ushort);
        const ulong TmpBigLength = 4096 * sizeof(ulong);
        return
        [
            Ok("open /dev/iommu", s.Open),
            Ok("IOAS_ALLOC", () => s.IoasAlloc(out ioas)),
            Ok("SET_TEMP_MEMORY_LIMIT 32", () => s.SetTempMemoryLimit(32)),
            Ok("IOAS_MAP 256 KiB", () => s.Map(ioas, s.Buffer, Map256K, out iova)),
            EnableInjection,
            Ok("CREATE_ACCESS (no pinning)", () => s.CreateAccess(ioas, MockAccessCreateFlags.None)),
            Ok("ACCESS_RW read 64 bytes", () => s.AccessRw(iova, tmp, TmpLength, MockAccessRwFlags.None)),
            Ok("ACCESS_RW write 64 bytes", () => s.AccessRw(iova, tmp, TmpLength, MockAccessRwFlags.Write)),
            Ok("ACCESS_RW slow read 64 bytes", () => s.AccessRw(iova, tmp, TmpLength, MockAccessRwFlags.SlowPath)),
            Ok("ACCESS_RW slow write 64 bytes", () => s.AccessRw(iova, tmp, TmpLength, MockAccessRwFlags.SlowPath | MockAccessRwFlags.Write)),
            Ok("ACCESS_RW slow read 32 KiB", () => s.AccessRw(iova, tmpBig, TmpBigLength, MockAccessRwFlags.SlowPath)),
            Ok("close(access fd)", s.DestroyAccess),
        ];
    }

    // pages.c access functions.
    private static IReadOnlyList<FailNthStep> BuildAccessPin(FailNthSession s)
    {
        IoasId ioas = default;
        ulong iova = 0;
        uint pages = 0;
        return
        [
            Ok("open /dev/iommu", s.Open),
            Ok("IOAS_ALLOC", () => s.IoasAlloc(out ioas)),
            Ok("SET_TEMP_MEMORY_LIMIT 32", () => s.SetTempMemoryLimit(32)),
            Ok("IOAS_MAP buffer (BUFFER_SIZE)", () => s.Map(ioas, s.Buffer, BufferSize, out iova)),
            Ok("CREATE_ACCESS (NEEDS_PIN_PAGES)", () => s.CreateAccess(ioas, MockAccessCreateFlags.NeedsPinPages)),
            EnableInjection,
            Ok("ACCESS_PAGES BUFFER_SIZE", () => s.AccessPages(iova, BufferSize, s.Buffer, out pages)),
            Ok("DESTROY_ACCESS_PAGES", () => s.DestroyAccessPages(pages)),
            Ok("close(access fd)", s.DestroyAccess),
        ];
    }

    // iopt_pages_fill_xarray().
    private static IReadOnlyList<FailNthStep> BuildAccessPinDomain(FailNthSession s)
    {
        IoasId ioas = default;
        SelftestId stdev = default;
        ulong iova = 0;
        uint pages = 0;
        return
        [
            Ok("open /dev/iommu", s.Open),
            Ok("IOAS_ALLOC", () => s.IoasAlloc(out ioas)),
            Ok("SET_TEMP_MEMORY_LIMIT 32", () => s.SetTempMemoryLimit(32)),
            Ok("MOCK_DOMAIN", () => s.MockDomain(ioas, out stdev, out _, out _)),
            Ok("IOAS_MAP buffer (BUFFER_SIZE)", () => s.Map(ioas, s.Buffer, BufferSize, out iova)),
            Ok("CREATE_ACCESS (NEEDS_PIN_PAGES)", () => s.CreateAccess(ioas, MockAccessCreateFlags.NeedsPinPages)),
            EnableInjection,
            Ok("ACCESS_PAGES BUFFER_SIZE", () => s.AccessPages(iova, BufferSize, s.Buffer, out pages)),
            Ok("DESTROY_ACCESS_PAGES", () => s.DestroyAccessPages(pages)),
            Ok("close(access fd)", s.DestroyAccess),
            Ok("DESTROY stdev", () => s.Destroy(stdev)),
        ];
    }

    // device.c. The newest kernel sequence continues with VIOMMU_ALLOC, VDEVICE_ALLOC, FAULT_QUEUE_ALLOC and
    // a nested HWPT_ALLOC on that fault queue; the engine models none of the first three, so those steps
    // are expected failures here, and a nested HWPT_ALLOC without a fault ID stands in for the last.
    private static IReadOnlyList<FailNthStep> BuildDevice(FailNthSession s)
    {
        IoasId ioas = default;
        IoasId ioas2 = default;
        SelftestId stdev = default;
        DeviceId idev = default;
        HwptId hwpt = default;
        var info = s.Scratch(PageSize);
        var data = s.Scratch(PageSize);
        s.Write(data, BitConverter.GetBytes(SelftestConstants.TestIotlbDefault));
        const uint DataLength = sizeof(uint);
        return
        [
            Ok("open /dev/iommu", s.Open),
            Ok("IOAS_ALLOC", () => s.IoasAlloc(out ioas)),
            Ok("IOAS_ALLOC #2", () => s.IoasAlloc(out ioas2)),
            Ok("IOAS_MAP one page at MOCK_APERTURE_START", () => s.MapFixed(ioas, s.Buffer, PageSize, SelftestConstants.MockApertureStart)),
            Ok("IOAS_MAP #2 one page at MOCK_APERTURE_START", () => s.MapFixed(ioas2, s.Buffer, PageSize, SelftestConstants.MockApertureStart)),
            EnableInjection,
            Ok("MOCK_DOMAIN", () => s.MockDomain(ioas, out stdev, out _, out idev)),
            Ok("GET_HW_INFO", () => s.GetHwInfo(idev, info)),
            Ok("HWPT_ALLOC on the IOAS", () => s.HwptAlloc(idev, ioas, IommuHwptAllocFlags.None, FaultId.None, IommuHwptDataType.None, 0, 0, out hwpt)),
            Ok("MOCK_DOMAIN_REPLACE to IOAS #2", () => s.MockDomainReplace(stdev, ioas2)),
            Ok("MOCK_DOMAIN_REPLACE to the HWPT", () => s.MockDomainReplace(stdev, hwpt)),
            Ok("HWPT_ALLOC NEST_PARENT", () => s.HwptAlloc(idev, ioas, IommuHwptAllocFlags.NestParent, FaultId.None, IommuHwptDataType.None, 0, 0, out hwpt)),
            Fails("VIOMMU_ALLOC (selftest type)", Errno.EOPNOTSUPP, "vIOMMU objects are not modelled", () =>
            {
                var result = s.File.ViommuAlloc(IommuViommuAllocFlags.None, IommuViommuType.Selftest, idev, hwpt, 0, 0, out var viommu);
                return new(result, $"viommu {viommu.Value}");
            }),
            Fails("VDEVICE_ALLOC", Errno.ENOENT, "no vIOMMU can exist, so its ID is unknown", () =>
            {
                var result = s.File.VdeviceAlloc(default, idev, 0, out var vdevice);
                return new(result, $"vdevice {vdevice.Value}");
            }),
            Fails("FAULT_QUEUE_ALLOC", Errno.EOPNOTSUPP, "fault queues are not modelled", () =>
            {
                var result = s.File.FaultQueueAlloc(IommuFaultAllocFlags.None, out var fault, out var faultFd);
                return new(result, $"fault {fault.Value}, fd {faultFd}");
            }),
            Fails("HWPT_ALLOC nested (selftest data) with FAULT_ID_VALID", Errno.ENOENT, "without fault queues no fault ID is valid",
                () => s.HwptAlloc(idev, hwpt, IommuHwptAllocFlags.FaultIdValid, FaultId.None, IommuHwptDataType.Selftest, data, DataLength, out _)),
            Ok("HWPT_ALLOC nested (selftest data), no fault queue (stand-in)",
                () => s.HwptAlloc(idev, hwpt, IommuHwptAllocFlags.None, FaultId.None, IommuHwptDataType.Selftest, data, DataLength, out _)),
        ];
    }
}
