using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;

namespace Passthrough;

/// <summary>
/// The machine of the tour: two PCI devices bound to vfio-pci. The NIC sits behind an IOMMU with interrupt
/// remapping and reserves a software MSI window; the legacy card's IOMMU cannot isolate MSIs.
/// </summary>
internal sealed class Host
{
    public const ulong MsiWindow = 0x0800_0000;

    public Host()
    {
        Kernel = new SimulatedKernel();
        var isolating = IommuInstance.RealLooking("dmar0", msiIsolation: true);
        var legacy = IommuInstance.RealLooking("dmar1", msiIsolation: false);
        Nic = Kernel.AddPciDevice(new PciAddress(0, 0x3b, 0x00, 0), isolating,
            reservedRegions: [new ReservedRegion(MsiWindow, 1UL << 20, ReservedRegionKind.SoftwareMsi)]);
        LegacyCard = Kernel.AddPciDevice(new PciAddress(0, 0x5e, 0x00, 0), legacy);
        NicNode = VfioPciDriver.Bind(Nic);
        LegacyNode = VfioPciDriver.Bind(LegacyCard);
    }

    public SimulatedKernel Kernel { get; }

    public PciDevice Nic { get; }

    public PciDevice LegacyCard { get; }

    public VfioDeviceNode NicNode { get; }

    public VfioDeviceNode LegacyNode { get; }
}
