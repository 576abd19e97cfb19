using IommuContracts;
using IommuContracts.Uapi;
using Passthrough;

// The generated stubs at work: typed arguments in, typed IDs and errno out, no hand-packed structs.
// A toy /dev/iommu answers; later stages of the project replace it with the simulated kernel.
Console.WriteLine("IommuContracts: generated ioctl stubs");
Console.WriteLine($"  IOMMU_IOAS_ALLOC = 0x{IommuIoasAlloc.Command:X4}, sizeof {IommuIoasAlloc.NativeSize}");
Console.WriteLine($"  IOMMU_IOAS_MAP   = 0x{IommuIoasMap.Command:X4}, sizeof {IommuIoasMap.NativeSize}, minimum {IommuIoasMap.MinimumSize}");
Console.WriteLine($"  IOMMU_TEST_CMD   = 0x{IommuTestCmd.Command:X4}, sizeof {IommuTestCmd.NativeSize}, minimum {IommuTestCmd.MinimumSize}");

IIoctlFile iommufd = new ToyIommufd();

var rc = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var ioas);
Console.WriteLine($"IoasAlloc               -> {rc}, {ioas}");

ulong iova = 0;
rc = iommufd.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, ioas, 0x7f00_0000_0000, 0x4000, ref iova);
Console.WriteLine($"IoasMap (automatic IOVA) -> {rc}, iova 0x{iova:X}");

rc = iommufd.IoasMap((IommuIoasMapFlags)0x80, ioas, 0x7f00_0000_0000, 0x4000, ref iova);
Console.WriteLine($"IoasMap (unknown flag)   -> {rc} (rejected by the generated validation)");

rc = iommufd.Destroy(ioas);
Console.WriteLine($"Destroy                  -> {rc}");
rc = iommufd.Destroy(ioas);
Console.WriteLine($"Destroy again            -> {rc}");
