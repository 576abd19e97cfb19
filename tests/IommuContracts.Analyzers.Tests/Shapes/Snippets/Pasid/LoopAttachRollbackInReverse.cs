// Shape: attach every PASID of a list to one HWPT; when one fails, detach the ones attached so far in reverse
// From: SVA-capable drivers (idxd work queues, one PASID each) binding a set of PASIDs with an unwind on error
// Label: OK
// Runtime: clean

[DriverManagedDma]
public static class WorkQueues
{
    public static Errno AttachAll(IommufdDevice idev, uint[] pasids, HwptId hwpt)
    {
        for (var i = 0; i < pasids.Length; i++)
        {
            var rc = Iommufd.DeviceAttach(idev, pasids[i], hwpt, out var used);
            if (rc != Errno.None)
            {
                while (--i >= 0)
                {
                    Iommufd.DeviceDetach(idev, pasids[i]);
                }

                return rc;
            }

            Console.WriteLine($"wq pasid {pasids[i]} on {used}");
        }

        return Errno.None;
    }

    public static void DetachAll(IommufdDevice idev, uint[] pasids)
    {
        foreach (var pasid in pasids)
        {
            Iommufd.DeviceDetach(idev, pasid);
        }
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = Iommufd.DeviceBind(lab.Ctx, lab.PasidDevice(), out var idev, out var id);
        if (rc != Errno.None) return rc;
        var hwpt = lab.PasidHwpt(id);
        rc = WorkQueues.AttachAll(idev!, [1, 2, 3], hwpt);
        if (rc == Errno.None)
        {
            // PASID 2 is taken: 4 is attached, then rolled back.
            var busy = WorkQueues.AttachAll(idev!, [4, 2], hwpt);
            WorkQueues.DetachAll(idev!, [1, 2, 3]);
            rc = busy == Errno.EBUSY && idev!.AttachedPasids.Count == 0 ? Errno.None : Errno.EINVAL;
        }

        Iommufd.DeviceUnbind(idev!);
        return rc;
    }
}
