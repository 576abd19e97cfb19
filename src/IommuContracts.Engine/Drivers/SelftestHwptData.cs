using System.Runtime.CompilerServices;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Drivers;

/// <summary>
/// The mock driver's read of struct iommu_hwpt_selftest (iommu_copy_struct_from_user): a foreign data type is
/// EOPNOTSUPP, a length short of iotlb EINVAL, bytes past the struct must be zero (E2BIG), a bad pointer EFAULT.
/// </summary>
internal static class SelftestHwptData
{
    private const int MinimumLength = sizeof(uint);

    public static Errno Read(Profiles.KernelProfile profile, IommuHwptDataType dataType, uint dataLength, ulong pointer, IUserMemory memory, out IommuHwptSelftest data)
    {
        data = default;
        if (dataType != IommuHwptDataType.Selftest)
        {
            return Errno.EOPNOTSUPP;
        }

        if (dataLength < MinimumLength)
        {
            return Errno.EINVAL;
        }

        // Before pagetable_type the kernel's struct ends after iotlb.
        var size = profile.Supports(Profiles.KernelFeatures.SelftestPagetableType) ? Unsafe.SizeOf<IommuHwptSelftest>() : MinimumLength;
        if (dataLength > size)
        {
            var zeroed = IoctlArguments.CheckZeroed(memory, pointer + (ulong)size, dataLength - (ulong)size);
            if (zeroed != Errno.None)
            {
                return zeroed;
            }
        }

        var copied = Math.Min((int)dataLength, size);
        return memory.CopyFromUser(pointer, IoctlArguments.MutableBytesOf(ref data)[..copied]) != Errno.None ? Errno.EFAULT : Errno.None;
    }
}
