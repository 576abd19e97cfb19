// Shape: a loop over candidate IOASes that attaches to each without stopping after the first success
// From: a "find a domain" loop whose success branch lost its break/return
// Label: BUG
// Runtime: errno EBUSY
using System.Collections.Generic;

[DriverManagedDma]
public sealed class GreedyAttach
{
    public Errno Run(IommufdCtx ictx, PciDevice pdev, IReadOnlyList<IoasId> candidates)
    {
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            return rc;
        }

        foreach (var ioas in candidates)
        {
            rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt); //~ IOMMU0055
            if (rc != Errno.None)
            {
                break;
            }

            Console.WriteLine($"attached to {hwpt}");
        }

        if (idev!.IsAttached)
        {
            Iommufd.DeviceDetach(idev);
        }

        Iommufd.DeviceUnbind(idev);
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var rc = lab.IommufdFile.IoasAlloc(IommuIoasAllocFlags.None, out var second);
        return rc != Errno.None ? rc : new GreedyAttach().Run(lab.Ctx, lab.Device(), new[] { lab.Ioas, second });
    }
}
