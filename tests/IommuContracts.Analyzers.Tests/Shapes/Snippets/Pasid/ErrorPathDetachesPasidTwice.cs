// Shape: the queue-setup failure path detaches the PASID, then falls through to the common exit that detaches it again
// From: K9 for PASIDs: an error label that undoes a step the common teardown undoes too
// Label: BUG
// Runtime: violation IOMMU0007

[DriverManagedDma]
public static class QueueSetup
{
    public static Errno Start(IommufdDevice idev, uint pasid, HwptId hwpt, int ringSize)
    {
        var rc = Iommufd.DeviceAttach(idev, pasid, hwpt, out var used);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine($"queue pasid {pasid} on {used}");
        rc = ProgramRing(ringSize);
        if (rc != Errno.None)
        {
            Iommufd.DeviceDetach(idev, pasid);
        }

        // Self-test done: the queue is started for real later.
        Iommufd.DeviceDetach(idev, pasid); //~ IOMMU0007|IOMMU0057
        return rc;
    }

    private static Errno ProgramRing(int ringSize) => ringSize > 0 && (ringSize & (ringSize - 1)) == 0 ? Errno.None : Errno.EINVAL;
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = Iommufd.DeviceBind(lab.Ctx, lab.PasidDevice(), out var idev, out var id);
        if (rc != Errno.None) return rc;
        try
        {
            return QueueSetup.Start(idev!, 4, lab.PasidHwpt(id), ringSize: 100);
        }
        finally
        {
            Iommufd.DeviceUnbind(idev!);
        }
    }
}
