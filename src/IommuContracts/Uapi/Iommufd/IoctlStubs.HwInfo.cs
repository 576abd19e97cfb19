using System.Runtime.InteropServices;
using IommuContracts.Contracts;
using IommuContracts.Ioctl;

namespace IommuContracts.Uapi;

public static partial class IoctlStubs
{
    private static readonly int HwInfoPointerOffset = (int)Marshal.OffsetOf<IommuHwInfo>(nameof(IommuHwInfo.DataUptr));

    /// <summary>
    /// IOMMU_GET_HW_INFO into <paramref name="data"/>, the IOMMU driver's struct for the device
    /// (<c>IommuTestHwInfo</c> for the selftest mock, iommu_hw_info_vtd, ...): the kernel copies at most
    /// <c>sizeof(T)</c> bytes and zeroes the rest of a larger struct; <paramref name="info"/> holds the data type,
    /// the driver's own length (<see cref="IommuHwInfo.DataLen"/>), the capabilities and the PASID width.
    /// <paramref name="requestedType"/> asks for one data type (EOPNOTSUPP if the driver cannot report it).
    /// ENOENT for an unknown device.
    /// </summary>
    [MustCheck]
    public static Errno GetHwInfo<T>(this IIoctlFile file, DeviceId devId, out IommuHwInfo info, out T data, IommuHwInfoType? requestedType = null)
        where T : unmanaged
    {
        data = default;
        var result = GetHwInfo(file, devId, IoctlArguments.MutableBytesOf(ref data), out info, requestedType);
        if (result != Errno.None)
        {
            data = default;
        }

        return result;
    }

    /// <summary>
    /// IOMMU_GET_HW_INFO with the driver's data as bytes of exactly the driver's length: asks for the length, then
    /// for the data. See <see cref="GetHwInfo{T}"/> for <paramref name="info"/> and <paramref name="requestedType"/>;
    /// <paramref name="data"/> is empty on error.
    /// </summary>
    [MustCheck]
    public static Errno GetHwInfo(this IIoctlFile file, DeviceId devId, out IommuHwInfo info, out byte[] data, IommuHwInfoType? requestedType = null)
    {
        data = [];
        var result = GetHwInfo(file, devId, Span<byte>.Empty, out info, requestedType);
        for (var attempt = 1; result == Errno.None && info.DataLen > data.Length && attempt < MaxProbeAttempts; attempt++)
        {
            var buffer = new byte[info.DataLen];
            result = GetHwInfo(file, devId, buffer, out info, requestedType);
            data = result == Errno.None ? buffer[..(int)Math.Min(info.DataLen, (uint)buffer.Length)] : [];
        }

        return result;
    }

    private static Errno GetHwInfo(IIoctlFile file, DeviceId devId, Span<byte> data, out IommuHwInfo info, IommuHwInfoType? requestedType)
    {
        info = new IommuHwInfo
        {
            Flags = requestedType is null ? IommuHwInfoFlags.None : IommuHwInfoFlags.InputType,
            DevId = devId,
            DataLen = (uint)data.Length,
            DataType = requestedType ?? IommuHwInfoType.Default,
        };
        var result = IoctlClient.Invoke(file, ref info, HwInfoPointerOffset, data);
        info.DataUptr = 0;
        return result;
    }
}
