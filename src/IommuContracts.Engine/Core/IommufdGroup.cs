using IommuContracts.Engine.Iommu;

namespace IommuContracts.Engine.Core;

/// <summary>
/// A context's state for one iommu_group (iommufd_group): the HWPT the group is attached to and which of
/// its bound devices are attached. Every device of a group must use the same HWPT; the iommu core attach
/// happens for the first device only and the detach for the last.
/// </summary>
internal sealed class IommufdGroup
{
    private readonly List<Device> _attached = new();
    private readonly SortedDictionary<uint, PasidAttachment> _pasids = new();

    public IommufdGroup(IommufdContext context, IommuGroup group)
    {
        Context = context;
        Group = group;
    }

    public IommufdContext Context { get; }

    public IommuGroup Group { get; }

    /// <summary>igroup->lock; after the IOAS mutex in the lock order.</summary>
    [IommuContracts.Contracts.LockLevel("group", 2)]
    public object Lock { get; } = new();

    /// <summary>Bound devices of this group in this context.</summary>
    public int BoundDevices { get; set; }

    /// <summary>The HWPT the group is attached to, or null.</summary>
    public HwPageTable? Hwpt { get; set; }

    public IReadOnlyList<Device> Attached => _attached;

    /// <summary>The attach handle of the group's RID attachment (made by the first device), or null.</summary>
    public AttachHandle? Handle { get; set; }

    /// <summary>Every current attach handle of the group (RID and PASIDs); hold <see cref="Lock"/>.</summary>
    public IEnumerable<AttachHandle> Handles
    {
        get
        {
            var pasids = _pasids.Values.Select(a => a.Handle);
            return Handle is { } rid ? pasids.Prepend(rid) : pasids;
        }
    }

    /// <summary>The attach handle of <paramref name="pasid"/>, or null; hold <see cref="Lock"/>.</summary>
    public AttachHandle? PasidHandle(uint pasid) => _pasids.GetValueOrDefault(pasid)?.Handle;

    /// <summary>iommu_attach_handle_get's domain, as its HWPT: the RID's for PASID 0, else the PASID's; null when detached.</summary>
    public HwPageTable? AttachedDomainOf(uint pasid)
    {
        lock (Lock)
        {
            return pasid == AttachHandle.NoPasid ? Handle?.Hwpt : PasidHandle(pasid)?.Hwpt;
        }
    }

    /// <summary>The attachment of <paramref name="pasid"/> (not the RID), or null; hold <see cref="Lock"/>.</summary>
    public PasidAttachment? Pasid(uint pasid) => _pasids.GetValueOrDefault(pasid);

    /// <summary>The PASID attachments in PASID order; hold <see cref="Lock"/>.</summary>
    public IReadOnlyCollection<PasidAttachment> Pasids => _pasids.Values;

    /// <summary>Records the first attachment of a PASID; hold <see cref="Lock"/>.</summary>
    public void AddPasid(PasidAttachment attachment) => _pasids.Add(attachment.Pasid, attachment);

    /// <summary>Forgets a PASID whose last device detached; hold <see cref="Lock"/>.</summary>
    public void RemovePasid(uint pasid) => _pasids.Remove(pasid);

    /// <summary>The software MSI window recorded from a device's reserved regions.</summary>
    public ulong? SoftwareMsiStart { get; set; }

    public bool IsAttached(Device device) => _attached.Contains(device);

    public void AddAttached(Device device) => _attached.Add(device);

    public void RemoveAttached(Device device) => _attached.Remove(device);
}
