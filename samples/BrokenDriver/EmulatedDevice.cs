using IommuContracts;
using IommuContracts.Contracts;
using IommuContracts.Engine.Kapi;

namespace BrokenDriver;

/// <summary>An emulated device that pins through an access but forgets the rules of accesses (K17, K18, K21).</summary>
public sealed class EmulatedDevice : IIommufdAccessOps
{
    public bool NeedsPinPages => true;

    public void Unmap(ulong iova, ulong length) // IOMMU0014
        => Console.WriteLine($"unmap 0x{iova:X}+0x{length:X} (nothing unpinned)");

    public static Errno PinBeforeAttach([RequiresState("Created")] IommufdAccess access)
        => Iommufd.AccessPinPages(access, 0x1000, 0x1000, false, out _); // IOMMU0013

    public static Errno ReadMaybeAttached([RequiresState("Created", "Attached")] IommufdAccess access)
        => Iommufd.AccessRw(access, 0x1000, new byte[8], AccessRwFlags.Read); // IOMMU0063
}
