namespace IommuContracts.Engine.Profiles;

/// <summary>What a <see cref="KernelFeature"/> adds to the kernel: which part of the engine consults it.</summary>
public enum KernelFeatureKind
{
    /// <summary>An ioctl in iommufd's command table; without it the number is a hole (size read, then ENOTTY).</summary>
    Command,

    /// <summary>An IOMMU_TEST_CMD op; without it the op is EOPNOTSUPP.</summary>
    TestOp,

    /// <summary>Flag bits of one field; without them the bits are unknown and answered as the field's check answers unknown bits.</summary>
    Flags,

    /// <summary>A change in what a handler does (a lookup, an errno, a struct's size); the handler asks for it by name.</summary>
    Behaviour,
}
