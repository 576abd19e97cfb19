using IommuContracts.Uapi;

namespace IommuContracts.Generators.Tests.Uapi;

/// <summary>
/// The layouts of the kernel's include/uapi/linux/iommufd.h and the VFIO cdev structs of include/uapi/linux/vfio.h
/// (and the VFIO container structs as gcc lays them out from /usr/include/linux/vfio.h), written down independently of the C#
/// declarations: command number, sizeof, minimum size and the offset of every field.
/// </summary>
public static class UapiTable
{
    public sealed record Entry(Type Type, uint Command, int Size, int MinimumSize, (string Field, int Offset)[] Fields);

    public static readonly Entry[] Commands =
    [
        new(typeof(IommuDestroy), 0x3B80, 8, 8, [("Size", 0), ("Id", 4)]),
        new(typeof(IommuIoasAlloc), 0x3B81, 12, 12, [("Size", 0), ("Flags", 4), ("OutIoasId", 8)]),
        new(typeof(IommuIoasAllowIovas), 0x3B82, 24, 24, [("Size", 0), ("IoasId", 4), ("NumIovas", 8), ("Reserved", 12), ("AllowedIovas", 16)]),
        new(typeof(IommuIoasCopy), 0x3B83, 40, 40, [("Size", 0), ("Flags", 4), ("DstIoasId", 8), ("SrcIoasId", 12), ("Length", 16), ("DstIova", 24), ("SrcIova", 32)]),
        new(typeof(IommuIoasIovaRanges), 0x3B84, 32, 32, [("Size", 0), ("IoasId", 4), ("NumIovas", 8), ("Reserved", 12), ("AllowedIovas", 16), ("OutIovaAlignment", 24)]),
        new(typeof(IommuIoasMap), 0x3B85, 40, 40, [("Size", 0), ("Flags", 4), ("IoasId", 8), ("Reserved", 12), ("UserVa", 16), ("Length", 24), ("Iova", 32)]),
        new(typeof(IommuIoasUnmap), 0x3B86, 24, 24, [("Size", 0), ("IoasId", 4), ("Iova", 8), ("Length", 16)]),
        new(typeof(IommuOption), 0x3B87, 24, 24, [("Size", 0), ("OptionId", 4), ("Op", 8), ("Reserved", 10), ("ObjectId", 12), ("Val64", 16)]),
        new(typeof(IommuVfioIoas), 0x3B88, 12, 12, [("Size", 0), ("IoasId", 4), ("Op", 8), ("Reserved", 10)]),
        new(typeof(IommuHwptAlloc), 0x3B89, 48, 24, [("Size", 0), ("Flags", 4), ("DevId", 8), ("PtId", 12), ("OutHwptId", 16), ("Reserved", 20), ("DataType", 24), ("DataLen", 28), ("DataUptr", 32), ("FaultId", 40), ("Reserved2", 44)]),
        new(typeof(IommuHwInfo), 0x3B8A, 40, 32, [("Size", 0), ("Flags", 4), ("DevId", 8), ("DataLen", 12), ("DataUptr", 16), ("DataType", 24), ("OutMaxPasidLog2", 28), ("Reserved0", 29), ("Reserved1", 30), ("Reserved2", 31), ("OutCapabilities", 32)]),
        new(typeof(IommuHwptSetDirtyTracking), 0x3B8B, 16, 16, [("Size", 0), ("Flags", 4), ("HwptId", 8), ("Reserved", 12)]),
        new(typeof(IommuHwptGetDirtyBitmap), 0x3B8C, 48, 48, [("Size", 0), ("HwptId", 4), ("Flags", 8), ("Reserved", 12), ("Iova", 16), ("Length", 24), ("PageSize", 32), ("Data", 40)]),
        new(typeof(IommuHwptInvalidate), 0x3B8D, 32, 32, [("Size", 0), ("HwptId", 4), ("DataUptr", 8), ("DataType", 16), ("EntryLen", 20), ("EntryNum", 24), ("Reserved", 28)]),
        new(typeof(IommuFaultAlloc), 0x3B8E, 16, 16, [("Size", 0), ("Flags", 4), ("OutFaultId", 8), ("OutFaultFd", 12)]),
        new(typeof(IommuIoasMapFile), 0x3B8F, 40, 40, [("Size", 0), ("Flags", 4), ("IoasId", 8), ("Fd", 12), ("Start", 16), ("Length", 24), ("Iova", 32)]),
        new(typeof(IommuViommuAlloc), 0x3B90, 40, 24, [("Size", 0), ("Flags", 4), ("Type", 8), ("DevId", 12), ("HwptId", 16), ("OutViommuId", 20), ("DataLen", 24), ("Reserved", 28), ("DataUptr", 32)]),
        new(typeof(IommuVdeviceAlloc), 0x3B91, 24, 24, [("Size", 0), ("ViommuId", 4), ("DevId", 8), ("OutVdeviceId", 12), ("VirtId", 16)]),
        new(typeof(IommuIoasChangeProcess), 0x3B92, 8, 8, [("Size", 0), ("Reserved", 4)]),
        new(typeof(IommuVeventqAlloc), 0x3B93, 32, 28, [("Size", 0), ("Flags", 4), ("ViommuId", 8), ("Type", 12), ("VeventqDepth", 16), ("OutVeventqId", 20), ("OutVeventqFd", 24), ("Reserved", 28)]),
        new(typeof(IommuHwQueueAlloc), 0x3B94, 40, 40, [("Size", 0), ("Flags", 4), ("ViommuId", 8), ("Type", 12), ("Index", 16), ("OutHwQueueId", 20), ("NestingParentIova", 24), ("Length", 32)]),
        new(typeof(IommuTestCmd), 0x3BA0, 72, 68, [("Size", 0), ("Op", 4), ("Id", 8), ("Reserved", 12), ("Payload", 16), ("Last", 64)]),
        new(typeof(VfioDeviceBindIommufd), 0x3B76, 24, 16, [("ArgSz", 0), ("Flags", 4), ("IommuFd", 8), ("OutDevId", 12), ("TokenUuidPtr", 16)]),
        new(typeof(VfioDeviceAttachIommufdPt), 0x3B77, 16, 12, [("ArgSz", 0), ("Flags", 4), ("PtId", 8), ("Pasid", 12)]),
        new(typeof(VfioDeviceDetachIommufdPt), 0x3B78, 12, 8, [("ArgSz", 0), ("Flags", 4), ("Pasid", 8)]),
        // Not a kernel ioctl: the simulated devices' DMA trigger, numbered past VFIO's own range.
        new(typeof(VfioDeviceSimDma), 0x3B96, 32, 32, [("ArgSz", 0), ("Flags", 4), ("Iova", 8), ("UserVa", 16), ("Length", 24)]),
        new(typeof(VfioIommuType1Info), 0x3B70, 24, 16, [("ArgSz", 0), ("Flags", 4), ("IovaPgsizes", 8), ("CapOffset", 16), ("Pad", 20)]),
        new(typeof(VfioIommuType1DmaMap), 0x3B71, 32, 32, [("ArgSz", 0), ("Flags", 4), ("Vaddr", 8), ("Iova", 16), ("Size", 24)]),
        new(typeof(VfioIommuType1DmaUnmap), 0x3B72, 24, 24, [("ArgSz", 0), ("Flags", 4), ("Iova", 8), ("Size", 16)]),
    ];

    /// <summary>Commands whose argument is an integer: VFIO_GET_API_VERSION, VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU.</summary>
    public static readonly (Type Type, uint Command)[] ValueCommands =
    [
        (typeof(VfioGetApiVersion), 0x3B64),
        (typeof(VfioCheckExtension), 0x3B65),
        (typeof(VfioSetIommu), 0x3B66),
    ];

    /// <summary>Data structs that are not commands themselves (array elements, driver data, union members).</summary>
    public static readonly (Type Type, int Size, (string Field, int Offset)[] Fields)[] DataStructs =
    [
        (typeof(IommuIovaRange), 16, [("Start", 0), ("Last", 8)]),
        (typeof(IommuTestPayload), 48, [("Dirty", 0), ("CheckRefs", 0)]),
        (typeof(TestDirty), 48, [("Flags", 0), ("Iova", 8), ("Length", 16), ("PageSize", 24), ("Uptr", 32), ("OutNrDirty", 40)]),
        (typeof(TestAccessPages), 32, [("Flags", 0), ("OutAccessPagesId", 4), ("Iova", 8), ("Length", 16), ("Uptr", 24)]),
        (typeof(TestAccessRw), 32, [("Iova", 0), ("Length", 8), ("Uptr", 16), ("Flags", 24)]),
        (typeof(TestCheckRefs), 24, [("Length", 0), ("Uptr", 8), ("Refs", 16)]),
        (typeof(TestMockDomainFlags), 16, [("OutStdevId", 0), ("OutHwptId", 4), ("OutIdevId", 8), ("DevFlags", 12)]),
        (typeof(TestTriggerIopf), 24, [("DevId", 0), ("Pasid", 4), ("Grpid", 8), ("Perm", 12), ("Addr", 16)]),
        // The newest headers add pagetable_type after iotlb (8 bytes); the kernel still accepts 4 (through iotlb).
        (typeof(IommuHwptSelftest), 8, [("Iotlb", 0), ("PagetableType", 4)]),
        (typeof(IommuHwptInvalidateSelftest), 8, [("Flags", 0), ("IotlbId", 4)]),
        (typeof(IommuTestHwInfo), 8, [("Flags", 0), ("TestReg", 4)]),
        (typeof(VfioInfoCapHeader), 8, [("Id", 0), ("Version", 2), ("Next", 4)]),
        (typeof(VfioIommuType1InfoCapIovaRange), 16, [("Header", 0), ("NrIovas", 8), ("Reserved", 12)]),
        (typeof(VfioIovaRange), 16, [("Start", 0), ("End", 8)]),
        (typeof(VfioIommuType1InfoDmaAvail), 12, [("Header", 0), ("Avail", 8)]),
    ];
}
