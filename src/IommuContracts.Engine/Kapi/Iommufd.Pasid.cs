using IommuContracts.Contracts;
using IommuContracts.Engine.Core;

namespace IommuContracts.Engine.Kapi;

// PASID attachments (iommufd_device_attach / _replace / _detach with a pasid): the same calls as for the
// device's RID, one PASID at a time. A PASID's state is its own: attaching one does not make the idev
// Attached, and the RID's state does not say which PASIDs are attached (IsPasidAttached does).
public static partial class Iommufd
{
    /// <summary>
    /// iommufd_device_attach for <paramref name="pasid"/> of the device: attaches it to <paramref name="ptId"/> and
    /// returns the HWPT used in <paramref name="hwptId"/> (None on error). EBUSY if this device has the PASID
    /// attached already (use replace), EINVAL for a HWPT allocated without IOMMU_HWPT_ALLOC_PASID, while the RID
    /// is attached to such a HWPT, for an IOAS (its automatic domains are not PASID-compatible) or for a PASID
    /// past the device's PASID width. PASID 0 (IOMMU_NO_PASID) is the RID: the call is the RID's attach.
    /// </summary>
    /// <exception cref="NotSupportedException">The kernel's profile predates PASID attachments (Linux 6.15): its
    /// iommufd_device_attach has no pasid argument.</exception>
    [MustCheck]
    public static Errno DeviceAttach(
        [RequiresState("Bound", "Attached"), RequiresState("Bound", Key = "pasid", Rule = RuleIds.AttachWhileAttached), TransitionsTo("Attached", Key = "pasid")]
        IommufdDevice idev,
        [StateKey(SelfValue = AttachHandle.NoPasid)] uint pasid,
        PageTableId ptId,
        [OutputMustBeUsed(RuleIds.PtIdIgnored)] out HwptId hwptId)
    {
        NullHandle.Check(idev, nameof(idev));
        RequirePasidAttachments(idev, "iommufd_device_attach");
        using (idev.Enter("iommufd_device_attach"))
        {
            ObjectId pt = ptId;
            return HwptUsed(idev.Idev.AttachPasid(pasid, ref pt), pt, out hwptId);
        }
    }

    /// <summary>
    /// iommufd_device_replace for <paramref name="pasid"/>: moves the PASID to <paramref name="ptId"/> without a
    /// window of blocked DMA and returns the HWPT now used (None on error); EINVAL if this device has not attached
    /// the PASID. A failure leaves the PASID on its old HWPT.
    /// </summary>
    /// <exception cref="NotSupportedException">The kernel's profile predates PASID attachments (Linux 6.15).</exception>
    [MustCheck]
    public static Errno DeviceReplace(
        [RequiresState("Bound", "Attached"), RequiresState("Attached", Key = "pasid", Rule = RuleIds.ReplaceWhenNotAttached)] IommufdDevice idev,
        [StateKey(SelfValue = AttachHandle.NoPasid)] uint pasid,
        PageTableId ptId,
        [OutputMustBeUsed(RuleIds.PtIdIgnored)] out HwptId hwptId)
    {
        NullHandle.Check(idev, nameof(idev));
        RequirePasidAttachments(idev, "iommufd_device_replace");
        using (idev.Enter("iommufd_device_replace"))
        {
            ObjectId pt = ptId;
            return HwptUsed(idev.Idev.ReplacePasid(pasid, ref pt), pt, out hwptId);
        }
    }

    /// <summary>
    /// iommufd_device_detach for <paramref name="pasid"/>: the PASID's DMA is blocked again and faults still
    /// pending on it are answered. Detaching a PASID this device has not attached is a contract violation
    /// (IOMMU0007; check <see cref="IommufdDevice.IsPasidAttached"/>).
    /// </summary>
    /// <exception cref="NotSupportedException">The kernel's profile predates PASID attachments (Linux 6.15).</exception>
    [ExcludesLock("ioas")]
    public static void DeviceDetach(
        [RequiresState("Bound", "Attached"), RequiresState("Attached", Key = "pasid", Rule = RuleIds.DetachWhenNotAttached), TransitionsTo("Bound", Key = "pasid", Always = true)]
        IommufdDevice idev,
        [StateKey(SelfValue = AttachHandle.NoPasid)] uint pasid)
    {
        NullHandle.Check(idev, nameof(idev));
        RequirePasidAttachments(idev, "iommufd_device_detach");
        using (idev.Enter("iommufd_device_detach"))
        {
            if (idev.Idev.PasidHwpt(pasid) is null)
            {
                throw new ContractViolationException(RuleIds.DetachWhenNotAttached,
                    $"PASID {pasid} of {idev.Device.Address} detached while not attached; only detach a PASID after its attach succeeded (check IsPasidAttached)");
            }

            idev.Idev.DetachPasid(pasid);
        }
    }

    // A driver built for a kernel before 6.15 cannot make these calls at all: the functions take no pasid there.
    private static void RequirePasidAttachments(IommufdDevice idev, string function)
    {
        var profile = idev.Device.Kernel.Profile;
        if (!profile.Supports(Profiles.KernelFeatures.DevicePasidAttach))
        {
            throw new NotSupportedException(
                $"{function} takes a pasid since Linux 6.15; the simulated kernel is {profile.Name}, where it has none. Use the RID's overload (without pasid), or a profile with KernelFeatures.DevicePasidAttach");
        }
    }
}
