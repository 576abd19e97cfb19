using IommuContracts.Engine.Iommu;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

/// <summary>
/// iopf_group: the page requests of one group index of one device, delivered together through the attach
/// handle they arrived on, and answered once (by user space through the fault fd, or by the kernel).
/// </summary>
internal sealed class FaultGroup
{
    public FaultGroup(PciDevice device, AttachHandle handle, IReadOnlyList<IommuPageRequest> requests)
    {
        Device = device;
        Handle = handle;
        Requests = requests;
    }

    public PciDevice Device { get; }

    public AttachHandle Handle { get; }

    /// <summary>The requests, the last one flagged LAST_PAGE.</summary>
    public IReadOnlyList<IommuPageRequest> Requests { get; }

    /// <summary>The cookie user space answers with, assigned when the group is read.</summary>
    public uint Cookie { get; set; }

    /// <summary>iopf_group_response: the device gets the answer for the group's last request.</summary>
    public void Respond(IommufdPageResponseCode code) => Respond(Device, Requests[^1], (IommuPageResponseCode)code);

    /// <summary>The device gets <paramref name="code"/> for the group that <paramref name="last"/> ends.</summary>
    public static void Respond(PciDevice device, IommuPageRequest last, IommuPageResponseCode code)
        => device.ReceivePageResponse(new IommuPageResponse(last.GroupId, last.Pasid, (last.Flags & IommuPgfaultFlags.PasidValid) != 0, code));
}
