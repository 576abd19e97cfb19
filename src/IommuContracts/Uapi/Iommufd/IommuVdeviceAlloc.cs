using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

/// <summary>struct iommu_vdevice_alloc: give a device a virtual ID in a vIOMMU.</summary>
[IoctlCommand(IoctlTypes.Iommufd, 0x91, Name = "IOMMU_VDEVICE_ALLOC", StubName = "VdeviceAlloc")]
public partial struct IommuVdeviceAlloc
{
    [SizeField] public uint Size;
    public ViommuId ViommuId;
    public DeviceId DevId;
    [Output] public VdeviceId OutVdeviceId;
    [LastMandatory] public ulong VirtId;
}
