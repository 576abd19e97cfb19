using Consumer;
using IommuContracts;
using IommuContracts.Engine.Host;
using IommuContracts.Uapi;

// The package readme's tour, on the simulated kernel: the typed stubs of the IommuContracts library ...
var process = new SimulatedProcess(new SimulatedKernel());
IIoctlFile iommufd = process.File(process.OpenIommufd());
Errno alloc = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out IoasId ioas);
ulong iova = 0, buffer = process.Mmap(1 << 20);
Errno map = iommufd.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, ioas, buffer, 1 << 20, ref iova);
Console.WriteLine($"IOMMU_IOAS_ALLOC {alloc} {ioas}");
Console.WriteLine($"IOMMU_IOAS_MAP {map}");

// ... a stub the packaged generator wrote for this project's own declaration (OwnIoctl.cs) ...
Errno own = iommufd.AllocateIoasHere(IommuIoasAllocFlags.None, out IoasId second);
Console.WriteLine($"0x{ConsumerIoasAlloc.Command:X4} {own} {second}");

// ... and the kernel's answer to misuse: IOMMU_IOAS_ALLOC knows no flags.
Errno unknownFlag = iommufd.IoasAlloc((IommuIoasAllocFlags)1, out _);
Console.WriteLine($"IOMMU_IOAS_ALLOC with flag 1 {unknownFlag}");

ulong unmapped = ulong.MaxValue;
Errno unmap = iommufd.IoasUnmap(ioas, 0, ref unmapped);
Console.WriteLine($"IOMMU_IOAS_UNMAP {unmap} {unmapped}");

var expected = alloc == Errno.None && map == Errno.None && own == Errno.None && unknownFlag == Errno.EOPNOTSUPP
    && unmap == Errno.None && unmapped == 1 << 20;
return expected ? 0 : 1;
