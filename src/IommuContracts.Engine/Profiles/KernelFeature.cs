namespace IommuContracts.Engine.Profiles;

/// <summary>
/// One user-visible piece of iommufd behaviour that appeared in a given kernel release: a command, a selftest op,
/// flag bits of a field, or a changed behaviour. A <see cref="KernelProfile"/> has it when its version is at least
/// <see cref="Since"/>. The catalog is <see cref="KernelFeatures"/>; docs/kernel-profiles.md describes each entry.
/// </summary>
public sealed class KernelFeature
{
    internal KernelFeature(string name, KernelFeatureKind kind, KernelVersion since, string before, uint number = 0, string? flagSet = null, ulong bits = 0)
    {
        Name = name;
        Kind = kind;
        Since = since;
        Before = before;
        Number = number;
        FlagSet = flagSet;
        Bits = bits;
    }

    /// <summary>The kernel's name for it (IOMMU_VIOMMU_ALLOC, IOMMU_TEST_OP_PASID_ATTACH, IOMMU_HW_INFO_FLAG_INPUT_TYPE, ...).</summary>
    public string Name { get; }

    /// <summary>Which part of the engine consults it.</summary>
    public KernelFeatureKind Kind { get; }

    /// <summary>The first release that has it.</summary>
    public KernelVersion Since { get; }

    /// <summary>What a kernel without it answers instead, in one line (the same text docs/kernel-profiles.md gives).</summary>
    public string Before { get; }

    /// <summary>The ioctl number (<c>_IOC_NR</c>) of a command, or the op number of a selftest op; 0 otherwise.</summary>
    public uint Number { get; }

    /// <summary>For flag features: the field whose bits these are (one of <see cref="KernelFlagSets"/>).</summary>
    public string? FlagSet { get; }

    /// <summary>For flag features: the bits it adds to <see cref="FlagSet"/>.</summary>
    public ulong Bits { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} (since {Since})";
}
