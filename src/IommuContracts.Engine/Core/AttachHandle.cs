namespace IommuContracts.Engine.Core;

/// <summary>
/// iommufd_attach_handle: one attachment of a group's RID (or of a PASID) to a HWPT, made by the first device
/// that attached it. I/O page faults are delivered through it, and answered with INVALID when it goes away.
/// </summary>
internal sealed class AttachHandle
{
    /// <summary>IOMMU_NO_PASID: the requester ID without a PASID.</summary>
    public const uint NoPasid = 0;

    public AttachHandle(Device idev, uint pasid, HwPageTable hwpt)
    {
        Idev = idev;
        Pasid = pasid;
        Hwpt = hwpt;
    }

    /// <summary>The device that made the attachment; faults report its ID.</summary>
    public Device Idev { get; }

    public uint Pasid { get; }

    public HwPageTable Hwpt { get; }

    public override string ToString() => $"attach handle {Idev} pasid {Pasid} -> {Hwpt}";
}
