// Shape: a VMM without its own HWPT turns dirty tracking on through the IOAS ID converted to a HWPT ID
// From: confusing the container's ioas_id with a hwpt_id (both are u32 in the C uAPI)
// Label: BUG
// Runtime: errno ENOENT

public static class DirtyToggle
{
    public static Errno Enable(SimulatedIoctlFile iommufd, IoasId ioas)
    {
        var hwpt = HwptId.FromObjectId(ioas); //~ IOMMU0105
        return iommufd.HwptSetDirtyTracking(IommuHwptDirtyTrackingFlags.Enable, hwpt);
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => DirtyToggle.Enable(lab.IommufdFile, lab.Ioas);
}
