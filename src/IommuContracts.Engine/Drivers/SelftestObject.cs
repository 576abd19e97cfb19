using IommuContracts.Contracts;
using IommuContracts.Engine.Core;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;

namespace IommuContracts.Engine.Drivers;

/// <summary>
/// The selftest object of IOMMU_TEST_CMD MOCK_DOMAIN: owns a mock device and its binding. Destroying it
/// (IOMMU_DESTROY of stdev_id, or close) detaches, unbinds and removes the device.
/// </summary>
[IommufdObject(typeof(SelftestId), Kind = 11)]
internal sealed partial class SelftestObject : IommufdObject
{
    public SelftestObject(IommufdContext context)
        : base(context)
    {
    }

    public PciDevice? MockDevice { get; set; }

    public IommufdDevice? Idev { get; set; }

    internal void Destroy()
    {
        if (Idev is { } idev)
        {
            if (idev.IsAttached)
            {
                Iommufd.DeviceDetach(idev);
            }

            // The kernel's selftest destroy detaches only the RID; a PASID left attached there keeps the idev
            // alive (a WARN and a leak at close). The engine detaches them so closing never leaks.
            foreach (var pasid in idev.AttachedPasids)
            {
                Iommufd.DeviceDetach(idev, pasid);
            }

            Iommufd.DeviceUnbind(idev);
        }
    }
}
