using IommuContracts.Engine.Core;
using IommuContracts.Engine.Iommu;

namespace IommuContracts.Engine.Kapi;

// The I/O page fault entry point device models call (iommu_report_device_fault).
public static partial class Iommufd
{
    /// <summary>
    /// iommu_report_device_fault: <paramref name="device"/> sends a page request. Requests wait until their
    /// group's last page arrives; the group then goes to the fault queue of the HWPT attached to the device's
    /// RID (or PASID) and user space answers it through the queue's fd; the answer lands in
    /// <see cref="PciDevice.PageResponses"/>. Nothing happens unless the device is attached to a HWPT with a
    /// fault queue; a group nobody can take is answered <see cref="IommuPageResponseCode.Failure"/>.
    /// </summary>
    public static void ReportPageRequest(PciDevice device, IommuPageRequest request)
    {
        ArgumentNullException.ThrowIfNull(device);
        Iopf.Report(device, request);
    }
}
