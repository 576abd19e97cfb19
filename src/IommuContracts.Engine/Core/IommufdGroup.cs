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
    private readonly Dictionary<uint, AttachHandle> _pasidHandles = new();

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
    public IEnumerable<AttachHandle> Handles => Handle is { } rid ? _pasidHandles.Values.Prepend(rid) : _pasidHandles.Values;

    /// <summary>The attach handle of <paramref name="pasid"/>, or null; hold <see cref="Lock"/>.</summary>
    public AttachHandle? PasidHandle(uint pasid) => _pasidHandles.GetValueOrDefault(pasid);

    /// <summary>The software MSI window recorded from a device's reserved regions.</summary>
    public ulong? SoftwareMsiStart { get; set; }

    public bool IsAttached(Device device) => _attached.Contains(device);

    public void AddAttached(Device device) => _attached.Add(device);

    public void RemoveAttached(Device device) => _attached.Remove(device);
}
