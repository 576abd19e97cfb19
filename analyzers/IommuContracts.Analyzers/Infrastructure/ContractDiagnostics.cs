using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Infrastructure;

/// <summary>
/// Every IOMMU contract diagnostic. A rule that can be definite or "on some path" has two IDs (the second
/// is the first + 50) so the two can be configured apart; no other rule uses an ID in those ranges.
/// Messages say what to do.
/// </summary>
internal static class ContractDiagnostics
{
    public const string HelpLinkBase = "https://github.com/IommuContracts/IommuContracts/blob/main/docs/rules/";
    private const string Lifecycle = "IommuContracts.Lifecycle";
    private const string Security = "IommuContracts.Security";
    private const string Locking = "IommuContracts.Locking";
    private const string Uapi = "IommuContracts.Uapi";
    private const string Usage = "IommuContracts.Usage";

    public static readonly DiagnosticDescriptor InternalError = Create("IOMMU0000", "Contract analysis failed",
        "The contract analyzer could not analyze '{0}': {1}; please report this, the member was skipped", Usage, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor DeviceTouchedBeforeBind = Create("IOMMU0001", "Device touched before bind",
        "'{0}' programs the device before iommufd bind succeeded; bind (and attach) first, then enable DMA", Lifecycle, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DeviceMaybeTouchedBeforeBind = Create("IOMMU0051", "Device may be touched before bind",
        "'{0}' may program the device before iommufd bind succeeded on some path; bind first on every path", Lifecycle, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor UseAfterRelease = Create("IOMMU0002", "Handle used after release or in the wrong state",
        "'{0}' is used when it is {1}; use a handle only in the states its API allows, and never after unbind / destroy / put", Lifecycle, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MaybeUseAfterRelease = Create("IOMMU0052", "Handle may be used after release or in the wrong state",
        "'{0}' may be {1} on some path here; make sure every path leaves it in a state the call allows, and none uses it after unbind / destroy / put", Lifecycle, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor UncheckedResult = Create("IOMMU0003", "Result not checked",
        "{0}; {1}", Lifecycle, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnbindWhileAttached = Create("IOMMU0004", "Unbind while attached",
        "'{0}' is unbound while attached; call DeviceDetach first", Lifecycle, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MaybeUnbindWhileAttached = Create("IOMMU0054", "Unbind while possibly attached",
        "'{0}' may still be attached on some path when it is unbound; detach it on every path first (or guard with IsAttached)", Lifecycle, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor AttachWhileAttached = Create("IOMMU0005", "Attach while attached",
        "'{0}' is already attached; use DeviceReplace to switch, or detach first", Lifecycle, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MaybeAttachWhileAttached = Create("IOMMU0055", "Attach while possibly attached",
        "'{0}' may already be attached on some path; use DeviceReplace when it is attached", Lifecycle, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor ReplaceWhenNotAttached = Create("IOMMU0006", "Replace when not attached",
        "'{0}' is not attached; replace only moves an attached device, attach it first", Lifecycle, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MaybeReplaceWhenNotAttached = Create("IOMMU0056", "Replace when possibly not attached",
        "'{0}' may not be attached on some path; replace only after a successful attach", Lifecycle, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor DetachWhenNotAttached = Create("IOMMU0007", "Detach when not attached",
        "'{0}' is not attached; detach only after a successful attach", Lifecycle, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MaybeDetachWhenNotAttached = Create("IOMMU0057", "Detach when possibly not attached",
        "'{0}' may not be attached on some path; guard the detach with IsAttached (or a local bool set right after the attach succeeded)", Lifecycle, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor Leak = Create("IOMMU0008", "Handle never released",
        "'{0}' is acquired but not released or handed on on any path ({1}); release it ({2}) or store it where it is released", Lifecycle, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MaybeLeak = Create("IOMMU0058", "Handle not released on some path",
        "'{0}' is not released on the path that leaves at line {1}; release it on that path too (the error-path leak)", Lifecycle, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor FieldNeverReleased = Create("IOMMU0017", "Handle field never released",
        "Field '{0}' holds an acquired handle but no member of '{1}' releases it; release it in the type's teardown (remove / close / Dispose)", Lifecycle, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor MissingDriverManagedDma = Create("IOMMU0009", "Bind without driver-managed DMA",
        "'{0}' binds devices to iommufd but does not declare [DriverManagedDma]; a driver that hands DMA to iommufd must say it manages DMA itself", Lifecycle, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnsafeInterrupts = Create("IOMMU0010", "Security downgrade",
        "Setting '{0}' allows devices whose MSIs cannot be isolated (a security downgrade); remove it, or accept it with [SecurityDowngradeJustified(\"reason\")]", Security, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor LockOrderInversion = Create("IOMMU0011", "Lock order inversion",
        "Lock '{0}' (order {1}) is taken while '{2}' (order {3}) is held; take locks in increasing order", Locking, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor CallUnderExcludedLock = Create("IOMMU0012", "Call under an excluded lock",
        "'{0}' must not be called while holding lock '{1}'; release the lock first", Locking, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor AccessNotAttached = Create("IOMMU0013", "Access used in the wrong state",
        "'{0}' {1}", Lifecycle, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MaybeAccessNotAttached = Create("IOMMU0063", "Access possibly used in the wrong state",
        "'{0}' {1}", Lifecycle, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor UnmapDoesNotUnpin = Create("IOMMU0014", "Access unmap callback does not unpin",
        "'{0}' pins pages but its '{1}' never unpins; the unmap callback must unpin every pinned range it is told about, or user space's unmap fails with EDEADLOCK", Lifecycle, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor SuppressionWithoutReason = Create("IOMMU0018", "Contract analysis suppressed without a reason",
        "[SuppressContractAnalysis] on '{0}' gives no reason, so it does not opt the member out and its contract findings stay; say why no checker should follow this code, or remove the attribute", Usage, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor PtIdIgnored = Create("IOMMU0015", "Returned pt_id ignored",
        "The HWPT ID returned in '{0}' is never read; report it to user space (it names the automatic HWPT)", Usage, DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor VfioIoctlBeforeBind = Create("IOMMU0101", "VFIO device ioctl before BIND",
        "'{0}' is issued on a VFIO device file before VFIO_DEVICE_BIND_IOMMUFD; bind the device first (every other ioctl fails with EINVAL)", Uapi, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor MaybeVfioIoctlBeforeBind = Create("IOMMU0151", "VFIO device ioctl possibly before BIND",
        "'{0}' may be issued on a VFIO device file that is not bound on some path; issue it only after VFIO_DEVICE_BIND_IOMMUFD succeeded", Uapi, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor UnmapLengthIgnored = Create("IOMMU0102", "Unmapped length ignored",
        "The length IOMMU_IOAS_UNMAP returns in '{0}' is never read; compare it with what you meant to unmap", Uapi, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor MapWithStaleRanges = Create("IOMMU0103", "Map after attach without re-reading IOVA ranges",
        "'{0}' maps after an attach or detach changed the IOAS's usable ranges; call IoasIovaRanges again before mapping", Uapi, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor HandPackedIoctl = Create("IOMMU0104", "Hand-packed ioctl",
        "Command 0x{0:X4} is {1}; use the typed stub '{2}', or at least its named Command constant, instead of a literal number", Uapi, DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor WrongIdKind = Create("IOMMU0105", "Object ID of the wrong kind",
        "An ID of kind '{0}' is used where an ID of kind '{1}' is expected; IDs of different kinds are not interchangeable (the kernel answers ENOENT, or EINVAL where several kinds are accepted)", Uapi, DiagnosticSeverity.Error);

    /// <summary>Rule ID → descriptors (definite, maybe) for rules reported through contract attributes.</summary>
    public static readonly IReadOnlyDictionary<string, (DiagnosticDescriptor Definite, DiagnosticDescriptor Maybe)> ByRule =
        new Dictionary<string, (DiagnosticDescriptor, DiagnosticDescriptor)>
        {
            ["IOMMU0001"] = (DeviceTouchedBeforeBind, DeviceMaybeTouchedBeforeBind),
            ["IOMMU0002"] = (UseAfterRelease, MaybeUseAfterRelease),
            ["IOMMU0004"] = (UnbindWhileAttached, MaybeUnbindWhileAttached),
            ["IOMMU0005"] = (AttachWhileAttached, MaybeAttachWhileAttached),
            ["IOMMU0006"] = (ReplaceWhenNotAttached, MaybeReplaceWhenNotAttached),
            ["IOMMU0007"] = (DetachWhenNotAttached, MaybeDetachWhenNotAttached),
            ["IOMMU0008"] = (Leak, MaybeLeak),
            ["IOMMU0013"] = (AccessNotAttached, MaybeAccessNotAttached),
            ["IOMMU0101"] = (VfioIoctlBeforeBind, MaybeVfioIoctlBeforeBind),
        };

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        InternalError, DeviceTouchedBeforeBind, DeviceMaybeTouchedBeforeBind, UseAfterRelease, MaybeUseAfterRelease,
        UncheckedResult, UnbindWhileAttached, MaybeUnbindWhileAttached, AttachWhileAttached, MaybeAttachWhileAttached,
        ReplaceWhenNotAttached, MaybeReplaceWhenNotAttached, DetachWhenNotAttached, MaybeDetachWhenNotAttached, Leak, MaybeLeak,
        FieldNeverReleased, MissingDriverManagedDma, UnsafeInterrupts, LockOrderInversion, CallUnderExcludedLock, AccessNotAttached,
        MaybeAccessNotAttached, UnmapDoesNotUnpin, SuppressionWithoutReason, PtIdIgnored, VfioIoctlBeforeBind, MaybeVfioIoctlBeforeBind, UnmapLengthIgnored, MapWithStaleRanges,
        HandPackedIoctl, WrongIdKind);

    private static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity)
        => new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
}
