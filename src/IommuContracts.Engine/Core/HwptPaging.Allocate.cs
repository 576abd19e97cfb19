using IommuContracts.Engine.Iommu;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// iommufd_hwpt_paging_alloc.
internal sealed partial class HwptPaging
{
    private const IommuHwptAllocFlags ValidFlags = IommuHwptAllocFlags.NestParent | IommuHwptAllocFlags.DirtyTracking
        | IommuHwptAllocFlags.FaultIdValid | IommuHwptAllocFlags.Pasid;

    /// <summary>
    /// Allocates a paging HWPT on <paramref name="ioas"/> for <paramref name="device"/>'s IOMMU and adds its
    /// domain to the IOAS (aperture holes reserved, existing areas mapped). With immediate attach the device
    /// is attached first. The caller holds the IOAS mutex and publishes (or aborts) the result.
    /// </summary>
    public static Errno Allocate(IommufdContext context, Ioas ioas, Device device, IommuHwptAllocFlags flags, bool immediateAttach, out HwptPaging? hwpt)
    {
        hwpt = null;
        var refused = CheckFlags(context, device, flags);
        if (refused != Errno.None)
        {
            return refused;
        }

        var iommu = device.Dev.Iommu;
        var dirty = (flags & IommuHwptAllocFlags.DirtyTracking) != 0;

        var domain = new PagingDomain(iommu, iommu.Geometry, dirty, (flags & IommuHwptAllocFlags.NestParent) != 0) { Kernel = context.Kernel };
        var created = new HwptPaging(context, ioas, domain, domain.NestParent);
        var allocated = context.Objects.Allocate(created);
        if (allocated != Errno.None)
        {
            return allocated;
        }

        ioas.AddUser();
        if (device.EnforceCacheCoherency)
        {
            domain.EnforceCacheCoherency = true;
        }

        if (immediateAttach)
        {
            var attached = device.AttachToHwpt(created);
            if (attached != Errno.None)
            {
                context.Objects.Abort(created);
                return attached;
            }
        }

        // Undone on an errno and on anything thrown, so a failed attach never leaves the device attached to a
        // HWPT that is not in the table (closing its fd would then find it attached).
        var added = Errno.ENOMEM;
        try
        {
            added = ioas.Iopt.AddDomain(domain);
        }
        finally
        {
            if (added != Errno.None)
            {
                if (immediateAttach && device.DetachFromHwpt() is { } detached)
                {
                    detached.DropUser();
                }

                context.Objects.Abort(created);
            }
        }

        if (added != Errno.None)
        {
            return added;
        }

        ioas.AddHwpt(created);
        created.InIoasList = true;
        hwpt = created;
        return Errno.None;
    }

    /// <summary>
    /// The flag checks of iommufd_hwpt_paging_alloc and the driver's allocator, which come before the driver reads
    /// any driver data: unknown flags (for the profile's kernel), dirty tracking without the capability, a fault
    /// queue on a nesting parent, and a nesting parent on a driver without nesting are EOPNOTSUPP.
    /// </summary>
    public static Errno CheckFlags(IommufdContext context, Device device, IommuHwptAllocFlags flags)
    {
        var valid = (IommuHwptAllocFlags)context.Kernel.Profile.AcceptedFlags(Profiles.KernelFlagSets.HwptAllocPaging, (ulong)ValidFlags);
        if ((flags & ~valid) != 0)
        {
            return Errno.EOPNOTSUPP;
        }

        if ((flags & IommuHwptAllocFlags.DirtyTracking) != 0 && !DirtyCapable(device))
        {
            return Errno.EOPNOTSUPP;
        }

        if ((flags & IommuHwptAllocFlags.FaultIdValid) != 0 && (flags & IommuHwptAllocFlags.NestParent) != 0)
        {
            return Errno.EOPNOTSUPP;
        }

        // The driver's domain_alloc_paging_flags: only the mock nests.
        if (device.Dev.Iommu.Driver != IommuDriverKind.Mock && (flags & IommuHwptAllocFlags.NestParent) != 0)
        {
            return Errno.EOPNOTSUPP;
        }

        return Errno.None;
    }

    private static bool DirtyCapable(Device device) => device.Dev.Iommu.Driver == IommuDriverKind.Mock
        ? (device.Dev.MockFlags & (ulong)MockDeviceFlags.NoDirty) == 0
        : device.Dev.Iommu.DirtyTracking;
}
