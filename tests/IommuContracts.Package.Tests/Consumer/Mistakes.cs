using IommuContracts;
using IommuContracts.Contracts;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Kapi;
using IommuContracts.Uapi;

namespace Consumer;

// Deliberate bugs: the comment at the end of each line names the diagnostic the packaged analyzers must report there.

[DriverManagedDma]
public static class Mistakes
{
    public static void UnbindAttached([RequiresState("Attached")] IommufdDevice idev)
        => Iommufd.DeviceUnbind(idev); // IOMMU0004

    public static Errno IgnoreUnmappedLength(SimulatedIoctlFile iommufd, IoasId ioas)
    {
        var length = ulong.MaxValue;
        return iommufd.IoasUnmap(ioas, 0, ref length); // IOMMU0102
    }
}

[IoctlCommand(IoctlTypes.Iommufd, 0x80, Name = "IOMMU_DESTROY", StubName = "DestroyAgain", Response = IoctlResponse.None)]
public struct NotPartialDestroy // IOMMUGEN001
{
    [SizeField] public uint Size;
    [LastMandatory] public ObjectId Id;
}
