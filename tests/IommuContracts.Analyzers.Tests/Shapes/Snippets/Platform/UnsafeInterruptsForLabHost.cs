// Shape: a lab bring-up switches on allow_unsafe_interrupts to assign a card behind an IOMMU without interrupt remapping
// From: the vfio_iommu_type1 allow_unsafe_interrupts module parameter (docs of cloud-hypervisor and others)
// Label: BUG
// Runtime: log allow_unsafe_interrupts

[DriverManagedDma]
public sealed class LabBringUp
{
    public Errno AssignOldCard(SimulatedKernel kernel, IommufdCtx ictx, PciDevice card)
    {
        kernel.AllowUnsafeInterrupts = true; //~ IOMMU0010
        var rc = Iommufd.DeviceBind(ictx, card, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        Iommufd.DeviceUnbind(idev!);
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new LabBringUp().AssignOldCard(lab.Kernel, lab.Ctx, lab.Device(msiIsolation: false));
}
