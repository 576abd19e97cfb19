using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>
/// VFIO_DEVICE_SIM_DMA: not a Linux ioctl. The simulated devices of IommuContracts.Engine offer it on their
/// VFIO device fd so a user-space program can make its device move data: the device reads Length bytes at
/// Iova into the buffer at UserVa, or (with Write) writes that buffer to Iova. A DMA the IOMMU refuses
/// fails with EIO and is recorded as an IOMMU fault. The data moves in 64 KiB bursts, as a device's DMA does:
/// a fault (EIO) or a bad user buffer (EFAULT) ends the transfer there, earlier bursts stay done. A Length
/// above INT_MAX is EINVAL.
/// </summary>
[IoctlCommand(IoctlTypes.Vfio, IoctlTypes.VfioBase + 50, Name = "VFIO_DEVICE_SIM_DMA", StubName = "VfioDeviceSimDma",
    Convention = IoctlConvention.Vfio, StubRequiresState = "Bound", StubStateRule = RuleIds.VfioIoctlBeforeBind)]
public partial struct VfioDeviceSimDma
{
    /// <summary>sizeof the struct as the caller knows it (VFIO's <c>argsz</c>); the generated stub fills it in.</summary>
    [SizeField] public uint ArgSz;
    /// <summary>The direction (<see cref="VfioDeviceSimDmaFlags"/>).</summary>
    [CheckedFlags] public VfioDeviceSimDmaFlags Flags;
    /// <summary>The device address of the transfer, translated by the IOMMU.</summary>
    public ulong Iova;
    /// <summary>The user virtual address of the process buffer.</summary>
    public ulong UserVa;
    /// <summary>The number of bytes to move; at most INT_MAX.</summary>
    [LastMandatory] public ulong Length;
}

/// <summary>Flags of VFIO_DEVICE_SIM_DMA.</summary>
[Flags]
public enum VfioDeviceSimDmaFlags : uint
{
    /// <summary>The device reads memory at the IOVA.</summary>
    Read = 0,

    /// <summary>The device writes memory at the IOVA.</summary>
    Write = 1 << 0,
}
