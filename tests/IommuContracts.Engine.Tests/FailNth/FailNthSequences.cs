using IommuContracts.Uapi;
using static IommuContracts.Engine.Tests.FailNth.FailNthStep;

namespace IommuContracts.Engine.Tests.FailNth;

/// <summary>
/// The sequences of tools/testing/selftests/iommu/iommufd_fail_nth.c (newest), step for step, with
/// fail_nth_enable() where the kernel test puts it.
/// </summary>
internal static class FailNthSequences
{
    private const ulong PageSize = FailNthSession.PageSize;
    private const ulong BufferSize = FailNthSession.BufferSize;
    private const ulong Map256K = 262144;

    public static FailNthSequence Basic { get; } = new("basic", BuildBasic);

    public static FailNthSequence MapDomain { get; } = new("map_domain", BuildMapDomain);

    public static FailNthSequence MapFileDomain { get; } = new("map_file_domain", BuildMapFileDomain);

    public static FailNthSequence MapFileDmabuf { get; } = new("map_file_dmabuf", BuildMapFileDmabuf);

    public static FailNthSequence MapTwoDomains { get; } = new("map_two_domains", BuildMapTwoDomains);

    public static FailNthSequence AccessRw { get; } = new("access_rw", BuildAccessRw);

    public static FailNthSequence AccessPin { get; } = new("access_pin", BuildAccessPin);

    public static FailNthSequence AccessPinDomain { get; } = new("access_pin_domain", BuildAccessPinDomain);

    public static FailNthSequence Device { get; } = new("device", BuildDevice);

    public static IReadOnlyList<FailNthSequence> All { get; } = [Basic, MapDomain, MapFileDomain, MapFileDmabuf, MapTwoDomains, AccessRw, AccessPin, AccessPinDomain, Device];

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

    // iopt_area_fill_domains() and iopt_area_fill_domain() with file pages.
    private static IReadOnlyList<FailNthStep> BuildMapFileDomain(FailNthSession s)
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
            Ok("IOAS_MAP_FILE memfd 256 KiB", () => s.MapFile(ioas, s.Mfd, 0, Map256K, out _)),
            Ok("DESTROY stdev", () => s.Destroy(stdev)),
            Ok("MOCK_DOMAIN (fills the existing mapping)", () => s.MockDomain(ioas, out stdev, out _, out _)),
        ];
    }

    // Not a kernel sequence: the selftest dma-buf exporter, IOAS_MAP_FILE of a dma-buf (pages, attachment and
    // the per-domain revoke tracking all allocate), a COPY and a new domain that track it too, then a revoke.
    private static IReadOnlyList<FailNthStep> BuildMapFileDmabuf(FailNthSession s)
    {
        const ulong length = 16 * PageSize;
        IoasId ioas = default;
        SelftestId stdev = default;
        DeviceId idev = default;
        ulong iova = 0;
        ulong copy = 0;
        return
        [
            Ok("open /dev/iommu", s.Open),
            Ok("IOAS_ALLOC", () => s.IoasAlloc(out ioas)),
            EnableInjection,
            Ok("MOCK_DOMAIN", () => s.MockDomain(ioas, out stdev, out _, out idev)),
            Ok("DMABUF_GET 16 pages", () => s.DmabufGet(length)),
            Ok("IOAS_MAP_FILE dma-buf", () => s.MapFile(ioas, s.DmabufFd, 0, length, out iova)),
            Ok("IOAS_COPY the dma-buf mapping", () =>
            {
                var result = s.File.IoasCopy(IommuIoasMapFlags.Writeable | IommuIoasMapFlags.Readable, ioas, ioas, length, iova, ref copy);
                return new(result, $"dst iova 0x{copy:X}");
            }),
            Ok("HWPT_ALLOC on the IOAS", () => s.HwptAlloc(idev, ioas, IommuHwptAllocFlags.None, default, IommuHwptDataType.None, 0, 0, out _)),
            Ok("DMABUF_REVOKE", () => s.DmabufRevoke(true)),
            Ok("IOAS_UNMAP the copy", () => s.Unmap(ioas, copy, length)),
            Ok("close the dma-buf fd", s.CloseDmabuf),
            Ok("DESTROY stdev", () => s.Destroy(stdev)),
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

    // device.c.
    private static IReadOnlyList<FailNthStep> BuildDevice(FailNthSession s)
    {
        IoasId ioas = default;
        IoasId ioas2 = default;
        SelftestId stdev = default;
        DeviceId idev = default;
        HwptId hwpt = default;
        HwptId testHwpt = default;
        ViommuId viommu = default;
        FaultId fault = default;
        var info = s.Scratch(PageSize);
        var data = s.Scratch(PageSize);
        s.Write(data, BitConverter.GetBytes(SelftestConstants.TestIotlbDefault));
        const uint DataLength = 8;
        const ulong Iova = SelftestConstants.MockApertureStart;
        return
        [
            Ok("open /dev/iommu", s.Open),
            Ok("IOAS_ALLOC", () => s.IoasAlloc(out ioas)),
            Ok("IOAS_ALLOC #2", () => s.IoasAlloc(out ioas2)),
            Ok("IOAS_MAP one page at MOCK_APERTURE_START", () => s.MapFixed(ioas, s.Buffer, PageSize, Iova)),
            Ok("IOAS_MAP #2 one page at MOCK_APERTURE_START", () => s.MapFixed(ioas2, s.Buffer, PageSize, Iova)),
            EnableInjection,
            Ok("MOCK_DOMAIN_FLAGS PASID", () =>
            {
                var result = s.MockDomainFlags(ioas, MockDeviceFlags.Pasid, out stdev, out _, out idev);
                s.StdevId = stdev;
                return result;
            }),
            Ok("GET_HW_INFO", () => s.GetHwInfo(idev, info)),
            Ok("HWPT_ALLOC PASID on the IOAS", () => s.HwptAlloc(idev, ioas, IommuHwptAllocFlags.Pasid, FaultId.None, IommuHwptDataType.None, 0, 0, out hwpt)),
            Ok("MOCK_DOMAIN_REPLACE to IOAS #2", () => s.MockDomainReplace(stdev, ioas2)),
            Ok("MOCK_DOMAIN_REPLACE to the HWPT", () => s.MockDomainReplace(stdev, hwpt)),
            Ok("HWPT_ALLOC NEST_PARENT | PASID", () => s.HwptAlloc(idev, ioas, IommuHwptAllocFlags.NestParent | IommuHwptAllocFlags.Pasid, FaultId.None, IommuHwptDataType.None, 0, 0, out hwpt)),
            Ok("VIOMMU_ALLOC (selftest type)", () => s.ViommuAlloc(idev, hwpt, IommuViommuType.Selftest, out viommu)),
            Ok("VDEVICE_ALLOC virt_id 0", () => s.VdeviceAlloc(viommu, idev, 0, out _)),
            Ok("HW_QUEUE_ALLOC index 0 at MOCK_APERTURE_START", () => s.HwQueueAlloc(viommu, IommuHwQueueType.Selftest, 0, Iova, PageSize, out _)),
            Ok("FAULT_QUEUE_ALLOC, close(fault fd)", () => s.FaultAllocAndClose(out fault)),
            Ok("HWPT_ALLOC nested (selftest data) with FAULT_ID_VALID",
                () => s.HwptAlloc(idev, hwpt, IommuHwptAllocFlags.FaultIdValid, fault, IommuHwptDataType.Selftest, data, DataLength, out _)),
            Ok("VEVENTQ_ALLOC (selftest type), close(veventq fd)", () => s.VeventqAllocAndClose(viommu, IommuVeventqType.Selftest, out _)),
            Ok("HWPT_ALLOC PASID on the IOAS (test HWPT)", () => s.HwptAlloc(idev, ioas, IommuHwptAllocFlags.Pasid, FaultId.None, IommuHwptDataType.None, 0, 0, out testHwpt)),
            Ok("PASID_ATTACH 200 to the nest parent", () =>
            {
                s.Pasid = 200;
                var result = s.PasidAttach(stdev, s.Pasid, hwpt, replace: false);
                if (result.Errno != Errno.None)
                {
                    s.Pasid = 0;
                }

                return result;
            }),
            Ok("PASID_REPLACE 200 to the test HWPT", () => s.PasidAttach(stdev, s.Pasid, testHwpt, replace: true)),
            Ok("PASID_DETACH 200", () =>
            {
                var result = s.PasidDetach(stdev, s.Pasid);
                if (result.Errno == Errno.None)
                {
                    s.Pasid = 0;
                }

                return result;
            }),
        ];
    }
}
