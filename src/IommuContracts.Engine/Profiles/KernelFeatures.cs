using IommuContracts.Uapi;

namespace IommuContracts.Engine.Profiles;

/// <summary>
/// The catalog of version-dependent iommufd behaviour: every command, selftest op, flag bit and behaviour change
/// the engine models, with the release that brought it. A new command or flag declares its first release here and
/// every <see cref="KernelProfile"/> older than that answers as that kernel did.
/// </summary>
/// <remarks>
/// Releases up to 6.12 come from the spec's introduction table (spec/kernel-iommufd.md §2.2) and are informative:
/// the engine offers no profile older than 6.12. What is newer than 6.12 was checked against the 6.12.118 source
/// (linux-source-6.12), which does not have it; docs/kernel-profiles.md gives the file and line of each.
/// </remarks>
public static class KernelFeatures
{
    private static readonly KernelVersion V6_2 = new(6, 2);
    private static readonly KernelVersion V6_6 = new(6, 6);
    private static readonly KernelVersion V6_7 = new(6, 7);
    private static readonly KernelVersion V6_8 = new(6, 8);
    private static readonly KernelVersion V6_11 = new(6, 11);
    private static readonly KernelVersion V6_13 = new(6, 13);
    private static readonly KernelVersion V6_14 = new(6, 14);
    private static readonly KernelVersion V6_15 = new(6, 15);
    private static readonly KernelVersion V6_17 = new(6, 17);
    private static readonly KernelVersion V6_19 = new(6, 19);

    private const string Hole = "a hole in the command table: the size is read (EFAULT), then ENOTTY";
    private const string UnknownOp = "EOPNOTSUPP (the op switch's default)";

    // ---- the iommufd command table ----

    /// <summary>IOMMU_DESTROY (0x80).</summary>
    public static readonly KernelFeature Destroy = Command(IommuDestroy.Command, "IOMMU_DESTROY", V6_2);

    /// <summary>IOMMU_IOAS_ALLOC (0x81).</summary>
    public static readonly KernelFeature IoasAlloc = Command(IommuIoasAlloc.Command, "IOMMU_IOAS_ALLOC", V6_2);

    /// <summary>IOMMU_IOAS_ALLOW_IOVAS (0x82).</summary>
    public static readonly KernelFeature IoasAllowIovas = Command(IommuIoasAllowIovas.Command, "IOMMU_IOAS_ALLOW_IOVAS", V6_2);

    /// <summary>IOMMU_IOAS_COPY (0x83).</summary>
    public static readonly KernelFeature IoasCopy = Command(IommuIoasCopy.Command, "IOMMU_IOAS_COPY", V6_2);

    /// <summary>IOMMU_IOAS_IOVA_RANGES (0x84).</summary>
    public static readonly KernelFeature IoasIovaRanges = Command(IommuIoasIovaRanges.Command, "IOMMU_IOAS_IOVA_RANGES", V6_2);

    /// <summary>IOMMU_IOAS_MAP (0x85).</summary>
    public static readonly KernelFeature IoasMap = Command(IommuIoasMap.Command, "IOMMU_IOAS_MAP", V6_2);

    /// <summary>IOMMU_IOAS_UNMAP (0x86).</summary>
    public static readonly KernelFeature IoasUnmap = Command(IommuIoasUnmap.Command, "IOMMU_IOAS_UNMAP", V6_2);

    /// <summary>IOMMU_OPTION (0x87).</summary>
    public static readonly KernelFeature Option = Command(IommuOption.Command, "IOMMU_OPTION", V6_2);

    /// <summary>IOMMU_VFIO_IOAS (0x88).</summary>
    public static readonly KernelFeature VfioIoas = Command(IommuVfioIoas.Command, "IOMMU_VFIO_IOAS", V6_2);

    /// <summary>IOMMU_HWPT_ALLOC (0x89).</summary>
    public static readonly KernelFeature HwptAlloc = Command(IommuHwptAlloc.Command, "IOMMU_HWPT_ALLOC", V6_6);

    /// <summary>IOMMU_GET_HW_INFO (0x8A).</summary>
    public static readonly KernelFeature GetHwInfo = Command(IommuHwInfo.Command, "IOMMU_GET_HW_INFO", V6_6);

    /// <summary>IOMMU_HWPT_SET_DIRTY_TRACKING (0x8B).</summary>
    public static readonly KernelFeature HwptSetDirtyTracking = Command(IommuHwptSetDirtyTracking.Command, "IOMMU_HWPT_SET_DIRTY_TRACKING", V6_7);

    /// <summary>IOMMU_HWPT_GET_DIRTY_BITMAP (0x8C).</summary>
    public static readonly KernelFeature HwptGetDirtyBitmap = Command(IommuHwptGetDirtyBitmap.Command, "IOMMU_HWPT_GET_DIRTY_BITMAP", V6_7);

    /// <summary>IOMMU_HWPT_INVALIDATE (0x8D).</summary>
    public static readonly KernelFeature HwptInvalidate = Command(IommuHwptInvalidate.Command, "IOMMU_HWPT_INVALIDATE", V6_8);

    /// <summary>IOMMU_FAULT_QUEUE_ALLOC (0x8E), the last command of 6.12.</summary>
    public static readonly KernelFeature FaultQueueAlloc = Command(IommuFaultAlloc.Command, "IOMMU_FAULT_QUEUE_ALLOC", V6_11);

    /// <summary>IOMMU_IOAS_MAP_FILE (0x8F).</summary>
    public static readonly KernelFeature IoasMapFile = Command(IommuIoasMapFile.Command, "IOMMU_IOAS_MAP_FILE", V6_13);

    /// <summary>IOMMU_VIOMMU_ALLOC (0x90).</summary>
    public static readonly KernelFeature ViommuAlloc = Command(IommuViommuAlloc.Command, "IOMMU_VIOMMU_ALLOC", V6_13);

    /// <summary>IOMMU_VDEVICE_ALLOC (0x91).</summary>
    public static readonly KernelFeature VdeviceAlloc = Command(IommuVdeviceAlloc.Command, "IOMMU_VDEVICE_ALLOC", V6_13);

    /// <summary>IOMMU_IOAS_CHANGE_PROCESS (0x92).</summary>
    public static readonly KernelFeature IoasChangeProcess = Command(IommuIoasChangeProcess.Command, "IOMMU_IOAS_CHANGE_PROCESS", V6_13);

    /// <summary>IOMMU_VEVENTQ_ALLOC (0x93).</summary>
    public static readonly KernelFeature VeventqAlloc = Command(IommuVeventqAlloc.Command, "IOMMU_VEVENTQ_ALLOC", V6_15);

    /// <summary>IOMMU_HW_QUEUE_ALLOC (0x94).</summary>
    public static readonly KernelFeature HwQueueAlloc = Command(IommuHwQueueAlloc.Command, "IOMMU_HW_QUEUE_ALLOC", V6_17);

    /// <summary>IOMMU_TEST_CMD (0xA0, CONFIG_IOMMUFD_TEST kernels).</summary>
    public static readonly KernelFeature TestCmd = Command(IommuTestCmd.Command, "IOMMU_TEST_CMD", V6_2);

    // ---- IOMMU_TEST_CMD ops newer than 6.12 (1..15 are all in 6.12; 24 and later are in no kernel modelled) ----

    /// <summary>IOMMU_TEST_OP_DEV_CHECK_CACHE (16).</summary>
    public static readonly KernelFeature TestOpDevCheckCache = TestOp(IommuTestOp.DevCheckCache, "IOMMU_TEST_OP_DEV_CHECK_CACHE", V6_14);

    /// <summary>IOMMU_TEST_OP_TRIGGER_VEVENT (17).</summary>
    public static readonly KernelFeature TestOpTriggerVevent = TestOp(IommuTestOp.TriggerVevent, "IOMMU_TEST_OP_TRIGGER_VEVENT", V6_15);

    /// <summary>IOMMU_TEST_OP_PASID_ATTACH (18).</summary>
    public static readonly KernelFeature TestOpPasidAttach = TestOp(IommuTestOp.PasidAttach, "IOMMU_TEST_OP_PASID_ATTACH", V6_15);

    /// <summary>IOMMU_TEST_OP_PASID_REPLACE (19).</summary>
    public static readonly KernelFeature TestOpPasidReplace = TestOp(IommuTestOp.PasidReplace, "IOMMU_TEST_OP_PASID_REPLACE", V6_15);

    /// <summary>IOMMU_TEST_OP_PASID_DETACH (20).</summary>
    public static readonly KernelFeature TestOpPasidDetach = TestOp(IommuTestOp.PasidDetach, "IOMMU_TEST_OP_PASID_DETACH", V6_15);

    /// <summary>IOMMU_TEST_OP_PASID_CHECK_HWPT (21).</summary>
    public static readonly KernelFeature TestOpPasidCheckHwpt = TestOp(IommuTestOp.PasidCheckHwpt, "IOMMU_TEST_OP_PASID_CHECK_HWPT", V6_15);

    /// <summary>IOMMU_TEST_OP_DMABUF_GET (22): the selftest's dma-buf exporter.</summary>
    public static readonly KernelFeature TestOpDmabufGet = TestOp(IommuTestOp.DmabufGet, "IOMMU_TEST_OP_DMABUF_GET", V6_19);

    /// <summary>IOMMU_TEST_OP_DMABUF_REVOKE (23).</summary>
    public static readonly KernelFeature TestOpDmabufRevoke = TestOp(IommuTestOp.DmabufRevoke, "IOMMU_TEST_OP_DMABUF_REVOKE", V6_19);

    // ---- flag bits ----

    /// <summary>IOMMU_HW_INFO_FLAG_INPUT_TYPE: in_data_type selects the type to report.</summary>
    public static readonly KernelFeature HwInfoInputType = Flags(KernelFlagSets.HwInfo, (ulong)IommuHwInfoFlags.InputType,
        "IOMMU_HW_INFO_FLAG_INPUT_TYPE", V6_17, "any flag is EOPNOTSUPP; the data type is output only");

    /// <summary>IOMMU_HWPT_FAULT_ID_VALID on a paging HWPT (I/O page faults on non-nested domains).</summary>
    public static readonly KernelFeature HwptPagingFaultId = Flags(KernelFlagSets.HwptAllocPaging, (ulong)IommuHwptAllocFlags.FaultIdValid,
        "IOMMU_HWPT_FAULT_ID_VALID (paging HWPT)", V6_13, "EOPNOTSUPP: only NEST_PARENT and DIRTY_TRACKING are valid for a paging HWPT");

    /// <summary>IOMMU_HWPT_ALLOC_PASID on a paging HWPT.</summary>
    public static readonly KernelFeature HwptPagingPasid = Flags(KernelFlagSets.HwptAllocPaging, (ulong)IommuHwptAllocFlags.Pasid,
        "IOMMU_HWPT_ALLOC_PASID (paging HWPT)", V6_15, "EOPNOTSUPP (an unknown flag)");

    /// <summary>IOMMU_HWPT_ALLOC_PASID on a nested HWPT.</summary>
    public static readonly KernelFeature HwptNestedPasid = Flags(KernelFlagSets.HwptAllocNested, (ulong)IommuHwptAllocFlags.Pasid,
        "IOMMU_HWPT_ALLOC_PASID (nested HWPT)", V6_15, "EOPNOTSUPP: only FAULT_ID_VALID is valid for a nested HWPT");

    /// <summary>
    /// VFIO_DEVICE_ATTACH_PASID / VFIO_DEVICE_DETACH_PASID (the flag and the pasid field): one bit, checked by both
    /// VFIO_DEVICE_ATTACH_IOMMUFD_PT and VFIO_DEVICE_DETACH_IOMMUFD_PT.
    /// </summary>
    public static readonly KernelFeature VfioDevicePasid = Flags(KernelFlagSets.VfioDeviceAttach, (ulong)VfioDeviceAttachFlags.Pasid,
        "VFIO_DEVICE_{ATTACH,DETACH}_PASID", V6_15, "EINVAL: flags must be 0 (the struct ends before pasid)");

    /// <summary>MOCK_FLAGS_DEVICE_PASID: a PASID-capable mock device.</summary>
    public static readonly KernelFeature MockDevicePasid = Flags(KernelFlagSets.MockDevice, (ulong)MockDeviceFlags.Pasid,
        "MOCK_FLAGS_DEVICE_PASID", V6_15, "EINVAL from mock_dev_create (after the selftest object's ID was taken and released)");

    // ---- behaviour ----

    /// <summary>
    /// VFIO_DEVICE_BIND_IOMMUFD reads its struct with copy_struct_from_user (token_uuid_ptr, VFIO_DEVICE_BIND_FLAG_TOKEN):
    /// non-zero bytes past the struct are E2BIG.
    /// </summary>
    public static readonly KernelFeature VfioBindCopyStruct = Behaviour("VFIO_DEVICE_BIND_IOMMUFD copy_struct_from_user", V6_17,
        "the struct ends at out_devid (16 bytes) and only that much is read: bytes past it are ignored, whatever they hold");

    /// <summary>HWPT_INVALIDATE looks the ID up as any object and answers EINVAL unless it is a nested HWPT or a vIOMMU.</summary>
    public static readonly KernelFeature HwptInvalidateAnyObject = Behaviour("HWPT_INVALIDATE on a vIOMMU or any object", V6_13,
        "the ID is looked up as a nested HWPT: a paging HWPT or any other object is ENOENT");

    /// <summary>
    /// struct iommu_hwpt_selftest gains pagetable_type (8 bytes): the mock driver then takes driver data for a paging
    /// HWPT and picks its page-table format from it.
    /// </summary>
    public static readonly KernelFeature SelftestPagetableType = Behaviour("iommu_hwpt_selftest.pagetable_type", V6_19,
        "the struct is 4 bytes (iotlb): a longer data_len is EINVAL; driver data on a paging HWPT is EOPNOTSUPP");

    /// <summary>
    /// IOAS_MAP's iopt_alloc_user_pages tests uptr + length for a wrap (EOVERFLOW) before the length limits of
    /// iopt_alloc_pages (EINVAL): the order changed when MAP_FILE split the allocation.
    /// </summary>
    public static readonly KernelFeature UserPagesWrapCheckedFirst = Behaviour("IOAS_MAP wrap checked before the length limits", V6_13,
        "iopt_alloc_pages checks the length first: a length above SIZE_MAX - PAGE_SIZE or 0 is EINVAL even when uptr + length wraps");

    /// <summary>
    /// PASID attachments through iommufd: iommufd_device_attach / replace / detach take a pasid (the kAPI overloads
    /// with a pasid argument), and the core keeps an attachment per PASID.
    /// </summary>
    public static readonly KernelFeature DevicePasidAttach = Behaviour("iommufd_device_attach(idev, pasid, ...)", V6_15,
        "iommufd_device_attach / replace / detach have no pasid argument: a driver cannot attach a PASID through iommufd");

    /// <summary>mmap of /dev/iommu: the regions a vIOMMU offers (iommufd_fops_mmap).</summary>
    public static readonly KernelFeature IommufdMmap = Behaviour("mmap of /dev/iommu", V6_17,
        "iommufd's file has no mmap: ENODEV");

    /// <summary>IOMMU_IOAS_MAP_FILE of a dma-buf: an uncharged, revocable mapping of the exporter's memory.</summary>
    public static readonly KernelFeature IoasMapFileDmabuf = Behaviour("IOMMU_IOAS_MAP_FILE of a dma-buf", V6_19,
        "a dma-buf is a file memfd_pin_folios refuses: EINVAL once its pages are pinned (at map time when a domain is attached)");

    private static readonly KernelFeature[] s_all =
    [
        Destroy, IoasAlloc, IoasAllowIovas, IoasCopy, IoasIovaRanges, IoasMap, IoasUnmap, Option, VfioIoas, HwptAlloc, GetHwInfo,
        HwptSetDirtyTracking, HwptGetDirtyBitmap, HwptInvalidate, FaultQueueAlloc, IoasMapFile, ViommuAlloc, VdeviceAlloc,
        IoasChangeProcess, VeventqAlloc, HwQueueAlloc, TestCmd,
        TestOpDevCheckCache, TestOpTriggerVevent, TestOpPasidAttach, TestOpPasidReplace, TestOpPasidDetach, TestOpPasidCheckHwpt,
        TestOpDmabufGet, TestOpDmabufRevoke,
        HwInfoInputType, HwptPagingFaultId, HwptPagingPasid, HwptNestedPasid, VfioDevicePasid, MockDevicePasid,
        HwptInvalidateAnyObject, SelftestPagetableType, VfioBindCopyStruct, UserPagesWrapCheckedFirst, DevicePasidAttach,
        IommufdMmap, IoasMapFileDmabuf,
    ];

    private static readonly Dictionary<byte, KernelFeature> s_commands = s_all
        .Where(f => f.Kind == KernelFeatureKind.Command)
        .ToDictionary(f => (byte)f.Number);

    private static readonly Dictionary<uint, KernelFeature> s_testOps = s_all
        .Where(f => f.Kind == KernelFeatureKind.TestOp)
        .ToDictionary(f => f.Number);

    /// <summary>Every feature of the catalog, commands first.</summary>
    public static IReadOnlyList<KernelFeature> All => s_all;

    /// <summary>The command at table slot <paramref name="number"/> (<c>_IOC_NR</c>), or null for a slot no kernel uses.</summary>
    public static KernelFeature? CommandAt(byte number) => s_commands.GetValueOrDefault(number);

    /// <summary>The feature that brought selftest op <paramref name="op"/>, or null for an op every modelled kernel has.</summary>
    public static KernelFeature? TestOpFeature(IommuTestOp op) => s_testOps.GetValueOrDefault((uint)op);

    private static KernelFeature Command(uint command, string name, KernelVersion since)
        => new(name, KernelFeatureKind.Command, since, Hole, command & 0xFF);

    private static KernelFeature TestOp(IommuTestOp op, string name, KernelVersion since)
        => new(name, KernelFeatureKind.TestOp, since, UnknownOp, (uint)op);

    private static KernelFeature Flags(string flagSet, ulong bits, string name, KernelVersion since, string before)
        => new(name, KernelFeatureKind.Flags, since, before, flagSet: flagSet, bits: bits);

    private static KernelFeature Behaviour(string name, KernelVersion since, string before)
        => new(name, KernelFeatureKind.Behaviour, since, before);
}
