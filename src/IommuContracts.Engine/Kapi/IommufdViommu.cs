using IommuContracts.Contracts;
using IommuContracts.Engine.Core;

namespace IommuContracts.Engine.Kapi;

/// <summary>
/// A driver's reference to a vIOMMU (struct iommufd_viommu *), from <see cref="Iommufd.ViommuGet"/> until
/// <see cref="Iommufd.ViommuPut"/>. With it the driver maps virtual device IDs to devices and reports vEVENTs;
/// the vIOMMU cannot be destroyed while it is held.
/// </summary>
[Typestate("Held")]
public sealed class IommufdViommu
{
    internal IommufdViommu(Viommu viommu) => Reference = new ObjectReference(viommu, $"viommu {viommu.Id}");

    internal ObjectReference Reference { get; }

    internal Viommu Viommu => (Viommu)Reference.Target;

    /// <summary>The vIOMMU's ID in its context.</summary>
    public ViommuId Id => Viommu.Id;

    /// <summary>The reference was put; any further use is IOMMU0002.</summary>
    public bool IsReleased => Reference.IsReleased;

    /// <inheritdoc/>
    public override string ToString() => Reference.What;
}
