namespace IommuContracts.Engine.Iommu;

/// <summary>
/// The VT-d registers QEMU's <c>-device intel-iommu</c> presents (hw/i386/intel_iommu.c, vtd_init, QEMU 7.2 as
/// Debian 12 ships it) and what the Linux VT-d driver derives from them: the page sizes and the aperture of its
/// second-stage paging domains, and the interrupt window it reserves for every device.
/// </summary>
public static class QemuIntelIommu
{
    /// <summary>QEMU 7.2's default <c>aw-bits</c> (VTD_HOST_AW_39BIT; 48 is the only other accepted value).</summary>
    public const int DefaultAddressWidth = 39;

    /// <summary>IOAPIC_RANGE_START: the interrupt window the VT-d driver reserves (IOMMU_RESV_MSI) for every device.</summary>
    public const ulong InterruptWindowStart = 0xFEE0_0000;

    /// <summary>IOAPIC_RANGE_END, inclusive.</summary>
    public const ulong InterruptWindowLast = 0xFEEF_FFFF;

    // CAP_REG fields (intel_iommu_internal.h): FRO = fault recording at 0x220, one fault register (NFR 0),
    // 16-bit domain IDs (ND 6), MAMV 18, page-selective invalidation, 2 MiB and 1 GiB second-stage pages,
    // read/write draining (dma-drain=on by default), caching mode.
    private const ulong CapNd = 6;
    private const ulong CapFro = 0x220UL << 20;
    private const ulong CapMamv = 18UL << 48;
    private const ulong CapPsi = 1UL << 39;
    private const ulong CapSllps2M = 1UL << 34;
    private const ulong CapSllps1G = 1UL << 35;
    private const ulong CapDrain = (1UL << 54) | (1UL << 55);
    private const ulong CapCachingMode = 1UL << 7;
    private const ulong CapSagaw39 = 0x2UL << 8;
    private const ulong CapSagaw48 = 0x4UL << 8;

    // ECAP_REG fields: queued invalidation, IOTLB registers at 0xF0, interrupt remapping with MHMV 15, pass-through.
    private const ulong EcapQi = 1UL << 1;
    private const ulong EcapIr = 1UL << 3;
    private const ulong EcapPt = 1UL << 6;
    private const ulong EcapIro = 0xF0UL << 4;
    private const ulong EcapMhmv = 15UL << 20;

    /// <summary>
    /// CAP_REG of <c>-device intel-iommu,caching-mode=on</c> (the <paramref name="addressWidth"/> is <c>aw-bits</c>):
    /// 0x00D2008C22260286 for 39 bits.
    /// </summary>
    public static ulong CapabilityRegister(int addressWidth = DefaultAddressWidth, bool cachingMode = true)
    {
        CheckWidth(addressWidth);
        var cap = CapFro | CapNd | CapMamv | CapPsi | CapSllps2M | CapSllps1G | ((ulong)(addressWidth - 1) << 16) | CapDrain | CapSagaw39;
        if (addressWidth == 48)
        {
            cap |= CapSagaw48;
        }

        return cachingMode ? cap | CapCachingMode : cap;
    }

    /// <summary>
    /// ECAP_REG of <c>-device intel-iommu,intremap=on</c> under TCG (no extended interrupt mode without a kernel
    /// irqchip, no device IOTLB, pass-through on): 0xF00F4A.
    /// </summary>
    public static ulong ExtendedCapabilityRegister(bool interruptRemapping = true)
        => EcapQi | EcapIro | EcapPt | (interruptRemapping ? EcapIr | EcapMhmv : 0);

    /// <summary>
    /// The geometry of the VT-d driver's second-stage paging domain (paging_domain_alloc): 4 KiB pages plus the
    /// superpages SLLPS advertises (2 MiB and 1 GiB), aperture [0, 2^addressWidth − 1].
    /// </summary>
    public static IommuGeometry Geometry(int addressWidth = DefaultAddressWidth)
    {
        CheckWidth(addressWidth);
        return new IommuGeometry((4UL << 10) | (2UL << 20) | (1UL << 30), 0, (1UL << addressWidth) - 1);
    }

    /// <summary>intel_iommu_get_resv_regions for a device without RMRRs: the interrupt window as a hardware MSI region.</summary>
    public static ReservedRegion InterruptWindow { get; } =
        new(InterruptWindowStart, InterruptWindowLast - InterruptWindowStart + 1, ReservedRegionKind.HardwareMsi);

    private static void CheckWidth(int addressWidth)
    {
        if (addressWidth is not (39 or 48))
        {
            throw new ArgumentOutOfRangeException(nameof(addressWidth), addressWidth, "QEMU's intel-iommu accepts aw-bits 39 or 48");
        }
    }
}
