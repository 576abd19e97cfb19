namespace IommuContracts.Engine.Iommu;

/// <summary>
/// One hardware IOMMU and what it can do. Devices behind it share its capabilities; its driver decides
/// what HWPT_ALLOC accepts and what GET_HW_INFO reports.
/// </summary>
public sealed class IommuInstance
{
    /// <summary>Describes one IOMMU.</summary>
    /// <param name="name">Its name, for logs.</param>
    /// <param name="geometry">The page sizes and aperture of its paging domains.</param>
    /// <param name="driver">Which IOMMU driver runs it.</param>
    public IommuInstance(string name, IommuGeometry geometry, IommuDriverKind driver)
    {
        Name = name;
        Geometry = geometry;
        Driver = driver;
    }

    /// <summary>The IOMMU's name, for logs.</summary>
    public string Name { get; }

    /// <summary>The page sizes and aperture of its paging domains.</summary>
    public IommuGeometry Geometry { get; }

    /// <summary>Which IOMMU driver runs it: decides the HWPT, vIOMMU and hardware-info types it accepts.</summary>
    public IommuDriverKind Driver { get; }

    /// <summary>IOMMU_CAP_CACHE_COHERENCY: DMA is cache coherent (bind requires it).</summary>
    public bool CacheCoherency { get; init; } = true;

    /// <summary>IOMMU_CAP_ENFORCE_CACHE_COHERENCY: domains can block non-coherent (no-snoop) DMA.</summary>
    public bool EnforceCacheCoherency { get; init; }

    /// <summary>Interrupt remapping: a device's DMA cannot forge MSIs outside its context.</summary>
    public bool MsiIsolation { get; init; } = true;

    /// <summary>IOMMU_CAP_DIRTY_TRACKING.</summary>
    public bool DirtyTracking { get; init; }

    /// <summary>
    /// ops->user_pasid_table: user space manages the PASID table of a nested attachment, so a fault with a
    /// PASID that has no attachment of its own goes to the RID's nested HWPT (the mock driver's setting).
    /// </summary>
    public bool UserPasidTable { get; init; }

    /// <summary>The PASID width (0: no PASID support).</summary>
    public int MaxPasidLog2 { get; init; }

    /// <summary>Regions the IOMMU driver reserves for every device behind it (the VT-d interrupt window), after the device's own.</summary>
    public IReadOnlyList<ReservedRegion> DeviceReservedRegions { get; init; } = [];

    /// <summary>For <see cref="IommuDriverKind.IntelVtd"/>: the CAP_REG value GET_HW_INFO reports.</summary>
    public ulong VtdCapabilityRegister { get; init; }

    /// <summary>For <see cref="IommuDriverKind.IntelVtd"/>: the ECAP_REG value GET_HW_INFO reports.</summary>
    public ulong VtdExtendedCapabilityRegister { get; init; }

    /// <summary>The selftest mock IOMMU (every mock device gets its own).</summary>
    public static IommuInstance Mock(bool dirtyTracking = true, bool hugeIova = false, bool pasid = false) =>
        new("mock-iommu", hugeIova ? IommuGeometry.MockHuge : IommuGeometry.Mock, IommuDriverKind.Mock)
        {
            DirtyTracking = dirtyTracking,
            MaxPasidLog2 = pasid ? IommuContracts.Uapi.SelftestConstants.MockPasidWidth : 0,
            UserPasidTable = true,
        };

    /// <summary>
    /// A real-looking IOMMU for samples: 4K/2M/1G pages, 48-bit aperture, dirty tracking, interrupt remapping as
    /// given, and PASIDs of <paramref name="pasidWidth"/> bits for its devices (0: none).
    /// </summary>
    public static IommuInstance RealLooking(string name, bool msiIsolation = true, int pasidWidth = 0) =>
        new(name, IommuGeometry.RealLooking, IommuDriverKind.Generic)
        {
            MsiIsolation = msiIsolation,
            MaxPasidLog2 = pasidWidth,
            DirtyTracking = true,
            EnforceCacheCoherency = true,
        };

    /// <summary>
    /// The same physical IOMMU (__iommu_get_iommu_dev): the one instance, or, for the selftest, any mock
    /// (every mock device sits behind the kernel's single mock_iommu).
    /// </summary>
    public bool IsSameUnit(IommuInstance other) => ReferenceEquals(this, other) || (Driver == IommuDriverKind.Mock && other.Driver == IommuDriverKind.Mock);

    /// <summary>
    /// Intel VT-d as QEMU 7.2's <c>-device intel-iommu,intremap=on,caching-mode=on</c> presents it to Linux: 4 KiB,
    /// 2 MiB and 1 GiB pages, an aperture of <paramref name="addressWidth"/> bits (<c>aw-bits</c>, 39 by default), the
    /// interrupt window 0xFEE00000–0xFEEFFFFF reserved for every device, interrupt remapping, no snoop control, no
    /// nesting and no dirty tracking (HWPT_ALLOC with NEST_PARENT or DIRTY_TRACKING is EOPNOTSUPP), GET_HW_INFO type
    /// INTEL_VTD with QEMU's CAP and ECAP registers.
    /// </summary>
    public static IommuInstance IntelVtd(string name = "dmar0", int addressWidth = QemuIntelIommu.DefaultAddressWidth) =>
        new(name, QemuIntelIommu.Geometry(addressWidth), IommuDriverKind.IntelVtd)
        {
            MsiIsolation = true,
            DeviceReservedRegions = [QemuIntelIommu.InterruptWindow],
            VtdCapabilityRegister = QemuIntelIommu.CapabilityRegister(addressWidth),
            VtdExtendedCapabilityRegister = QemuIntelIommu.ExtendedCapabilityRegister(),
        };

    /// <inheritdoc />
    public override string ToString() => Name;
}
