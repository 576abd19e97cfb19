using System.Runtime.CompilerServices;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Drivers;

/// <summary>
/// The mock driver's read of struct iommu_hwpt_selftest (iommu_copy_struct_from_user): a foreign data type is
/// EOPNOTSUPP, a length short of iotlb or past the kernel's struct EINVAL, a bad pointer EFAULT.
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

        // Before pagetable_type the kernel's struct ends after iotlb. __iommu_copy_struct_from_user refuses a
        // length past the kernel's struct outright (EINVAL) instead of accepting zeroed trailing bytes.
        var size = profile.Supports(Profiles.KernelFeatures.SelftestPagetableType) ? Unsafe.SizeOf<IommuHwptSelftest>() : MinimumLength;
        if (dataLength > size)
        {
            return Errno.EINVAL;
        }

        return memory.CopyFromUser(pointer, IoctlArguments.MutableBytesOf(ref data)[..(int)dataLength]) != Errno.None ? Errno.EFAULT : Errno.None;
    }
}
