using IommuContracts.Contracts;
using IommuContracts.Engine.Host;

namespace IommuContracts.Analyzers.Tests.Shapes.LinuxStandIn;

/// <summary>Stand-in for IommuContracts.Linux.LinuxVfioDeviceFile: opens the lab's VFIO device node at the path.</summary>
public sealed class LinuxVfioDeviceFile : LinuxIoctlFile
{
    /// <summary>The directory of VFIO device cdevs.</summary>
    public const string DeviceDirectory = "/dev/vfio/devices";

    private LinuxVfioDeviceFile(SimulatedProcess process, int number)
        : base(process, number)
    {
    }

    /// <summary>Opens the node the lab handed out at <paramref name="path"/>; ENOENT for any other path.</summary>
    [MustCheck]
    public static Errno Open(string path, out LinuxVfioDeviceFile? file)
    {
        file = null;
        if (Lab.NodeAt(path) is not { } node)
        {
            return Errno.ENOENT;
        }

        var process = Lab.Process;
        file = new LinuxVfioDeviceFile(process, process.OpenVfioDevice(node));
        return Errno.None;
    }
}
