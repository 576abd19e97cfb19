using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Iommu;

namespace IommuContracts.Engine.Core;

// A device's reserved regions in the IOAS it is attached to.
internal sealed partial class Device
{
    /// <summary>
    /// iopt_table_enforce_dev_resv_regions: every reserved region but relaxable direct ones becomes reserved
    /// IOVA owned by the device (EADDRINUSE against areas or allowed ranges). On failure everything this
    /// call reserved is removed here, once, and the caller must not remove it again.
    /// </summary>
    public Errno EnforceReservedRegions(IoPageTable.IoPageTable iopt, out ulong? softwareMsiStart)
    {
        softwareMsiStart = null;
        var failed = Context.Kernel.Faults.Hit(FaultPoint.ReservedRegions);
        if (failed != Errno.None)
        {
            return failed;
        }

        var hardwareMsi = 0;
        var softwareMsi = 0;
        foreach (var region in Dev.ReservedRegions)
        {
            if (region.Kind == ReservedRegionKind.DirectRelaxable)
            {
                continue;
            }

            if (region.Kind == ReservedRegionKind.HardwareMsi)
            {
                hardwareMsi++;
            }

            if (region.Kind == ReservedRegionKind.SoftwareMsi)
            {
                softwareMsiStart = region.Start;
                softwareMsi++;
            }

            var reserved = iopt.ReserveIova(region.Start, region.Last, Dev);
            if (reserved != Errno.None)
            {
                iopt.RemoveReserved(Dev);
                return reserved;
            }
        }

        // Drivers must offer sane combinations: one software MSI window, never mixed with hardware MSI.
        if ((softwareMsi > 0 && hardwareMsi > 0) || softwareMsi > 1)
        {
            Context.Kernel.Log.Warn($"{Dev.Address}: inconsistent MSI reserved regions");
            iopt.RemoveReserved(Dev);
            return Errno.EINVAL;
        }

        return Errno.None;
    }
}
