using IommuContracts.Engine.Iommu;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

/// <summary>
/// The iommu core's I/O page fault path (iommu_report_device_fault) for devices owned by an iommufd context:
/// requests wait until the last page of their group arrives, then the group goes to the fault queue of the
/// HWPT attached where the fault happened. A group nobody can take is answered FAILURE.
/// </summary>
internal static class Iopf
{
    public static void Report(PciDevice device, IommuPageRequest request)
    {
        if (device.Group.DmaOwner is not IommufdContext context || context.FindGroup(device.Group) is not { } igroup)
        {
            return;
        }

        lock (igroup.Lock)
        {
            // iopf_param exists only while the device is attached to a domain that takes faults.
            if (!TakesFaults(igroup))
            {
                return;
            }

            var last = (request.Flags & IommuPgfaultFlags.LastPage) != 0;
            List<IommuPageRequest> requests;
            lock (device.PartialRequests)
            {
                if (!last)
                {
                    device.PartialRequests.Add(request);
                    return;
                }

                requests = device.PartialRequests.Where(r => r.GroupId == request.GroupId).ToList();
                device.PartialRequests.RemoveAll(r => r.GroupId == request.GroupId);
            }

            requests.Add(request);
            if (FindHandle(igroup, request) is not { Hwpt.Fault: { } fault } handle)
            {
                FaultGroup.Respond(device, request, IommuPageResponseCode.Failure);
                return;
            }

            fault.Deliver(new FaultGroup(device, handle, requests));
        }
    }

    private static bool TakesFaults(IommufdGroup igroup) => igroup.Handles.Any(h => h.Hwpt.Fault is not null);

    // find_fault_handler: the PASID's attachment, or, for a driver whose user manages the PASID table (the
    // mock), the RID's nested attachment; without a PASID, the RID's attachment.
    private static AttachHandle? FindHandle(IommufdGroup igroup, IommuPageRequest request)
    {
        if ((request.Flags & IommuPgfaultFlags.PasidValid) == 0)
        {
            return igroup.Handle;
        }

        if (igroup.PasidHandle(request.Pasid) is { } handle)
        {
            return handle;
        }

        return igroup.Group.Iommu.UserPasidTable && igroup.Handle is { Hwpt: HwptNested } rid ? rid : null;
    }
}
