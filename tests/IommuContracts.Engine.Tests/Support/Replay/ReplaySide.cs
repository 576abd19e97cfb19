using IommuContracts.Engine.Profiles;
using IommuContracts.Engine.Tests.Support.Hosts;

namespace IommuContracts.Engine.Tests.Support.Replay;

/// <summary>
/// One side of a differential replay: a name and a factory of fresh processes (simulated with a profile, or real).
/// Both kinds map memory 2 MiB aligned (<see cref="MmapAlignment"/>), so what the kernels choose from the user
/// address (an automatic IOVA's alignment) is the same on both.
/// </summary>
public sealed record ReplaySide(string Name, Func<IProcessHost> Create)
{
    /// <summary>The least alignment of every mapping the replay's processes make.</summary>
    public const ulong MmapAlignment = 2UL << 20;

    /// <summary>A simulated root process on a fresh machine running <paramref name="profile"/> (THP configured unless told otherwise).</summary>
    public static ReplaySide Simulated(KernelProfile profile, string? name = null, bool transparentHugePages = true)
        => new(name ?? $"engine({profile}{(transparentHugePages ? string.Empty : ", no THP")})",
            () => SimulatedProcessHost.Root(profile, transparentHugePages, MmapAlignment));

    /// <summary>This process on the running kernel, through the Linux backend.</summary>
    public static ReplaySide Linux(string path = IommuContracts.Linux.LinuxIommufdFile.DefaultPath)
        => new($"kernel({path})", () => new LinuxProcessHost(path) { MinimumMmapAlignment = MmapAlignment });

    /// <inheritdoc />
    public override string ToString() => Name;
}
