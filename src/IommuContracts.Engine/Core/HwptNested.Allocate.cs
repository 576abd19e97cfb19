using IommuContracts.Engine.Iommu;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// iommufd_hwpt_nested_alloc with the mock driver's domain_alloc_nested.
internal sealed partial class HwptNested
{
    /// <summary>
    /// A nested HWPT on <paramref name="parent"/>: EOPNOTSUPP for flags other than FAULT_ID_VALID / PASID, no
    /// data, or a driver without nesting; EINVAL for an automatic, non-nest-parent or foreign parent; the
    /// mock's data errors (type, length EINVAL, pointer EFAULT).
    /// </summary>
    public static Errno Allocate(IommufdContext context, HwptPaging parent, Device device, IommuHwptAllocFlags flags, IommuHwptDataType dataType, uint dataLength, ulong dataPointer, IUserMemory memory, out HwptNested? hwpt)
    {
        hwpt = null;
        var valid = (IommuHwptAllocFlags)context.Kernel.Profile.AcceptedFlags(Profiles.KernelFlagSets.HwptAllocNested,
            (ulong)(IommuHwptAllocFlags.FaultIdValid | IommuHwptAllocFlags.Pasid));
        if ((flags & ~valid) != 0 || dataLength == 0
            || device.Dev.Iommu.Driver != IommuDriverKind.Mock)
        {
            return Errno.EOPNOTSUPP;
        }

        if (parent.AutoDomain || !parent.NestParent || parent.Domain.Iommu.Driver != device.Dev.Iommu.Driver)
        {
            return Errno.EINVAL;
        }

        var created = new HwptNested(context, parent, 0) { PasidCompat = (flags & IommuHwptAllocFlags.Pasid) != 0 };
        var allocated = context.Objects.Allocate(created);
        if (allocated != Errno.None)
        {
            return allocated;
        }

        parent.AddUser();
        var data = Drivers.SelftestHwptData.Read(context.Kernel.Profile, dataType, dataLength, dataPointer, memory, out var selftest);
        if (data != Errno.None)
        {
            context.Objects.Abort(created);
            return data;
        }

        Array.Fill(created.Iotlb, selftest.Iotlb);
        hwpt = created;
        return Errno.None;
    }

    /// <summary>
    /// iommufd_viommu_alloc_hwpt_nested: a nested HWPT on <paramref name="viommu"/>. EOPNOTSUPP for flags other
    /// than FAULT_ID_VALID / PASID, no data, or a vIOMMU without nesting support; then the driver's own flag
    /// check (EOPNOTSUPP) and data errors as for a nested HWPT on a parent.
    /// </summary>
    public static Errno AllocateOnViommu(IommufdContext context, Viommu viommu, IommuHwptAllocFlags flags, IommuHwptDataType dataType, uint dataLength, ulong dataPointer, IUserMemory memory, out HwptNested? hwpt)
    {
        hwpt = null;
        var valid = (IommuHwptAllocFlags)context.Kernel.Profile.AcceptedFlags(Profiles.KernelFlagSets.HwptAllocNested,
            (ulong)(IommuHwptAllocFlags.FaultIdValid | IommuHwptAllocFlags.Pasid));
        if ((flags & ~valid) != 0 || dataLength == 0 || viommu.Driver is null)
        {
            return Errno.EOPNOTSUPP;
        }

        var created = new HwptNested(context, viommu.Hwpt, 0, viommu) { PasidCompat = (flags & IommuHwptAllocFlags.Pasid) != 0 };
        var allocated = context.Objects.Allocate(created);
        if (allocated != Errno.None)
        {
            return allocated;
        }

        viommu.AddUser();
        // mock_viommu_alloc_domain_nested sees the flags without FAULT_ID_VALID.
        var selftest = default(IommuHwptSelftest);
        var failed = Drivers.MockViommu.CheckNestedFlags(flags & ~IommuHwptAllocFlags.FaultIdValid);
        if (failed == Errno.None)
        {
            failed = Drivers.SelftestHwptData.Read(context.Kernel.Profile, dataType, dataLength, dataPointer, memory, out selftest);
        }

        if (failed != Errno.None)
        {
            context.Objects.Abort(created);
            return failed;
        }

        Array.Fill(created.Iotlb, selftest.Iotlb);
        hwpt = created;
        return Errno.None;
    }
}
