namespace IommuContracts.Contracts;

/// <summary>
/// The rule IDs shared by the analyzers (compile time) and the engine (run time): a misuse the analyzer
/// flags under an ID is the misuse the engine reports with the same ID (or the kernel's errno) when the
/// code runs. Each has a page docs/rules/&lt;ID&gt;.md.
/// </summary>
public static class RuleIds
{
    /// <summary>K3: the device is touched (DMA, MMIO, bus mastering) before bind succeeded.</summary>
    public const string DeviceTouchedBeforeBind = "IOMMU0001";

    /// <summary>K6: an idev (or access) is used after unbind (destroy).</summary>
    public const string UseAfterUnbind = "IOMMU0002";

    /// <summary>K1: the result of bind / attach / replace / access calls is not checked before its outputs are used.</summary>
    public const string UncheckedResult = "IOMMU0003";

    /// <summary>K5: unbind while the device may still be attached.</summary>
    public const string UnbindWhileAttached = "IOMMU0004";

    /// <summary>K7: attach while already attached; use replace.</summary>
    public const string AttachWhileAttached = "IOMMU0005";

    /// <summary>K8: replace on a device that was never attached.</summary>
    public const string ReplaceWhenNotAttached = "IOMMU0006";

    /// <summary>K9: detach on a device that is not attached.</summary>
    public const string DetachWhenNotAttached = "IOMMU0007";

    /// <summary>K4, K15, K16: a binding, access, context reference or lookup not released on some path.</summary>
    public const string Leak = "IOMMU0008";

    /// <summary>K2: bind without declaring driver-managed DMA.</summary>
    public const string MissingDriverManagedDma = "IOMMU0009";

    /// <summary>K22: unsafe interrupts allowed (a security downgrade).</summary>
    public const string UnsafeInterrupts = "IOMMU0010";

    /// <summary>K12: locks taken against the documented order.</summary>
    public const string LockOrderInversion = "IOMMU0011";

    /// <summary>K11: detach or HWPT release while holding the IOAS lock.</summary>
    public const string DetachUnderIoasLock = "IOMMU0012";

    /// <summary>K17, K21: an access pinned or read before attach, or used after destroy.</summary>
    public const string AccessNotAttached = "IOMMU0013";

    /// <summary>K18: an access that pins but whose unmap callback does not unpin.</summary>
    public const string AccessUnmapDoesNotUnpin = "IOMMU0014";

    /// <summary>K10: the pt ID returned by attach / replace is ignored (informational).</summary>
    public const string PtIdIgnored = "IOMMU0015";

    /// <summary>K20: unpin that does not match a previous pin exactly.</summary>
    public const string UnpinMismatch = "IOMMU0016";

    /// <summary>uAPI: a VFIO device ioctl other than BIND before BIND.</summary>
    public const string VfioIoctlBeforeBind = "IOMMU0101";

    /// <summary>uAPI: IOAS_UNMAP's returned length is ignored.</summary>
    public const string UnmapLengthIgnored = "IOMMU0102";

    /// <summary>uAPI: MAP after ATTACH without re-reading the IOVA ranges.</summary>
    public const string MapWithoutRangesAfterAttach = "IOMMU0103";

    /// <summary>uAPI: a hand-packed ioctl with a literal command where a typed stub exists.</summary>
    public const string HandPackedIoctl = "IOMMU0104";

    /// <summary>uAPI: an object ID of one kind used as another.</summary>
    public const string WrongIdKind = "IOMMU0105";
}
