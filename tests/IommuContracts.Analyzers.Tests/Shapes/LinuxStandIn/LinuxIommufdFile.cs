using IommuContracts.Contracts;
using IommuContracts.Engine.Host;

namespace IommuContracts.Analyzers.Tests.Shapes.LinuxStandIn;

/// <summary>Stand-in for IommuContracts.Linux.LinuxIommufdFile: opening /dev/iommu opens a new iommufd in the lab's process.</summary>
public sealed class LinuxIommufdFile : LinuxIoctlFile
{
    /// <summary>The iommufd character device.</summary>
    public const string DefaultPath = "/dev/iommu";

    private LinuxIommufdFile(SimulatedProcess process, int number)
        : base(process, number)
    {
    }

    /// <summary>Opens <see cref="DefaultPath"/>.</summary>
    [MustCheck]
    public static Errno Open(out LinuxIommufdFile? file) => Open(DefaultPath, out file);

    /// <summary>Opens <paramref name="path"/>: ENOENT for anything but /dev/iommu.</summary>
    [MustCheck]
    public static Errno Open(string path, out LinuxIommufdFile? file)
    {
        file = null;
        if (path != DefaultPath)
        {
            return Errno.ENOENT;
        }

        var process = Lab.Process;
        file = new LinuxIommufdFile(process, process.OpenIommufd());
        return Errno.None;
    }
}
