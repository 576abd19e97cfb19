using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;

namespace Passthrough;

/// <summary>
/// The machine of the tour: two PCI devices bound to vfio-pci. By default it is shaped like the QEMU guest
/// realhost/ boots: the NIC sits behind Intel VT-d with interrupt remapping, which reserves the interrupt window
/// 0xFEE00000–0xFEEFFFFF for every device and translates <c>aw-bits</c> (39) bits of IOVA. With
/// <see cref="IommuShape.Generic"/> the NIC's IOMMU instead reserves a software MSI window low in the IOVA space.
/// Either way the legacy card's IOMMU cannot isolate MSIs (no interrupt remapping).
/// </summary>
internal sealed class Host
{
    /// <summary>The software MSI window of the generic shape.</summary>
    public const ulong GenericMsiWindow = 0x0800_0000;

    public Host(IommuShape shape, int addressWidth)
    {
        Kernel = new SimulatedKernel();
        Shape = shape;
        if (shape == IommuShape.IntelVtd)
        {
            var isolating = IommuInstance.IntelVtd("dmar0", addressWidth);
            var legacy = new IommuInstance("dmar1", isolating.Geometry, IommuDriverKind.IntelVtd)
            {
                MsiIsolation = false,
                DeviceReservedRegions = isolating.DeviceReservedRegions,
                VtdCapabilityRegister = QemuIntelIommu.CapabilityRegister(addressWidth),
                VtdExtendedCapabilityRegister = QemuIntelIommu.ExtendedCapabilityRegister(interruptRemapping: false),
            };
            MsiWindow = QemuIntelIommu.InterruptWindowStart;
            Nic = Kernel.AddPciDevice(new PciAddress(0, 0x01, 0x00, 0), isolating);
            LegacyCard = Kernel.AddPciDevice(new PciAddress(0, 0x02, 0x00, 0), legacy);
        }
        else
        {
            var isolating = IommuInstance.RealLooking("dmar0", msiIsolation: true);
            var legacy = IommuInstance.RealLooking("dmar1", msiIsolation: false);
            MsiWindow = GenericMsiWindow;
            Nic = Kernel.AddPciDevice(new PciAddress(0, 0x3b, 0x00, 0), isolating,
                reservedRegions: [new ReservedRegion(GenericMsiWindow, 1UL << 20, ReservedRegionKind.SoftwareMsi)]);
            LegacyCard = Kernel.AddPciDevice(new PciAddress(0, 0x5e, 0x00, 0), legacy);
        }

        NicNode = VfioPciDriver.Bind(Nic);
        LegacyNode = VfioPciDriver.Bind(LegacyCard);
    }

    public SimulatedKernel Kernel { get; }

    public IommuShape Shape { get; }

    /// <summary>The first IOVA of the NIC's MSI window (reserved in every IOAS the NIC is attached to).</summary>
    public ulong MsiWindow { get; }

    public PciDevice Nic { get; }

    public PciDevice LegacyCard { get; }

    public VfioDeviceNode NicNode { get; }

    public VfioDeviceNode LegacyNode { get; }
}

/// <summary>Which IOMMU the tour's machine has.</summary>
internal enum IommuShape
{
    /// <summary>Intel VT-d as QEMU presents it (the default).</summary>
    IntelVtd,

    /// <summary>A generic IOMMU with a software MSI window.</summary>
    Generic,
}
