using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_vdevice_alloc: give a device a virtual ID in a vIOMMU.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x91, Name = "IOMMU_VDEVICE_ALLOC", StubName = "VdeviceAlloc")]
public partial struct IommuVdeviceAlloc
{
    /// <summary>sizeof the struct as the caller knows it (the kernel's <c>size</c>); the generated stub fills it in.</summary>
    [SizeField] public uint Size;
    /// <summary>The vIOMMU that gets the virtual device.</summary>
    public ViommuId ViommuId;
    /// <summary>The physical device it stands for; bound to this iommufd and behind the vIOMMU's IOMMU.</summary>
    public DeviceId DevId;
    /// <summary>Output: the ID of the new virtual device.</summary>
    [Output] public VdeviceId OutVdeviceId;
    /// <summary>The device's ID as the guest sees it in the vIOMMU (for example an SMMUv3 stream ID).</summary>
    [LastMandatory] public ulong VirtId;
}
