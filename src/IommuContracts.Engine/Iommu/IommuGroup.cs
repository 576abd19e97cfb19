namespace IommuContracts.Engine.Iommu;

/// <summary>
/// An iommu_group: devices the IOMMU cannot tell apart, which therefore share one domain and one DMA owner.
/// The group is owned by the kernel DMA API (kernel drivers) or by exactly one iommufd context.
/// </summary>
public sealed class IommuGroup
{
    private static int s_nextId;
    private readonly List<PciDevice> _devices = new();

    /// <summary>Creates an empty group behind an IOMMU, with the next free group number.</summary>
    /// <param name="iommu">The IOMMU that translates for the group's devices.</param>
    public IommuGroup(IommuInstance iommu)
    {
        Iommu = iommu;
        Id = Interlocked.Increment(ref s_nextId);
    }

    /// <summary>The group number, unique on this machine.</summary>
    public int Id { get; }

    /// <summary>The IOMMU that translates for this group's devices.</summary>
    public IommuInstance Iommu { get; }

    /// <summary>A snapshot of the devices in the group.</summary>
    public IReadOnlyList<PciDevice> Devices
    {
        get
        {
            lock (Lock)
            {
                return _devices.ToArray();
            }
        }
    }

    /// <summary>Serialises ownership and domain changes of the group.</summary>
    internal object Lock { get; } = new();

    /// <summary>The iommufd context that owns the group's DMA, or null for the DMA API.</summary>
    internal object? DmaOwner { get; private set; }

    /// <summary>How many bound devices hold the ownership claim.</summary>
    internal int OwnerCount { get; private set; }

    /// <summary>The domain the group is attached to: null for the DMA API default domain.</summary>
    internal GroupDomain Domain { get; set; } = GroupDomain.DmaApi;

    internal void Add(PciDevice device)
    {
        lock (Lock)
        {
            _devices.Add(device);
        }
    }

    /// <summary>
    /// iommu_device_claim_dma_owner: EPERM when a kernel driver (DMA API) or another owner holds the group.
    /// The group switches to blocked DMA on the first claim.
    /// </summary>
    internal Errno ClaimDmaOwner(object owner)
    {
        lock (Lock)
        {
            if (_devices.Any(d => d.Driver == DeviceDriverKind.DmaApi))
            {
                return Errno.EPERM;
            }

            if (OwnerCount > 0 && !ReferenceEquals(DmaOwner, owner))
            {
                return Errno.EPERM;
            }

            if (OwnerCount == 0)
            {
                DmaOwner = owner;
                Domain = GroupDomain.Blocked;
            }

            OwnerCount++;
            return Errno.None;
        }
    }

    /// <summary>iommu_device_release_dma_owner: the last release hands the group back to the DMA API.</summary>
    internal void ReleaseDmaOwner(object owner)
    {
        lock (Lock)
        {
            if (OwnerCount == 0 || !ReferenceEquals(DmaOwner, owner))
            {
                throw new InvalidOperationException("DMA ownership released by a non-owner");
            }

            if (--OwnerCount == 0)
            {
                DmaOwner = null;
                Domain = GroupDomain.DmaApi;
            }
        }
    }

    /// <summary>The group for logs, <c>iommu_group N</c>.</summary>
    /// <returns>The group's name.</returns>
    public override string ToString() => $"iommu_group {Id}";
}
