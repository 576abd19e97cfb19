// Shape: the HWPT allocation for dirty tracking is issued as a bare statement; its failure leaves the HWPT ID 0
// From: QEMU iommufd_cdev_autodomains_get (alloc_hwpt then set_dirty_tracking) with the error check dropped
// Label: BUG
// Runtime: errno ENOENT

public static class DirtyTracking
{
    public static Errno Start(SimulatedIoctlFile iommufd, DeviceId devId, IoasId ioas)
    {
        iommufd.HwptAlloc(IommuHwptAllocFlags.DirtyTracking, devId, ioas, IommuHwptDataType.None, 0, 0, default, out var hwpt); //~ IOMMU0003
        return iommufd.HwptSetDirtyTracking(IommuHwptDirtyTrackingFlags.Enable, hwpt);
    }
}

// ---- scenario ----
public static class Scenario
{
    // The device ID names no bound device, so the allocation fails and hwpt stays 0.
    public static Errno Run(TwinLab lab) => DirtyTracking.Start(lab.IommufdFile, new DeviceId(4242), lab.Ioas);
}
