using IommuContracts.Engine.Host;
using IommuContracts.Engine.Profiles;
using IommuContracts.Engine.Tests.Support.Hosts;

namespace IommuContracts.Engine.Tests.Replay;

/// <summary>
/// A simulated process laid out differently from a fresh one: memory already mapped and an fd already open before
/// the scenario starts, so every address and fd number it sees differs. Two runs that still record the same steps
/// prove the recorder names addresses and fds, as it must to compare a simulated with a real process.
/// </summary>
internal static class ShiftedHost
{
    public static ReplaySideFactory Side(KernelProfile profile) => new($"shifted engine({profile})", () =>
    {
        var host = SimulatedProcessHost.Root(profile, minimumMmapAlignment: Support.Replay.ReplaySide.MmapAlignment);
        host.Mmap(5 * SimulatedProcess.PageSize, MemoryProtection.ReadWrite, MmapFlags.None, 3UL << 20);
        host.Mmap(SimulatedProcess.PageSize);
        Assert.True(host.OpenIommufd() >= 0);
        return host;
    });

    /// <summary>A name and a factory, as <see cref="Support.Replay.ReplaySide"/> takes them.</summary>
    internal sealed record ReplaySideFactory(string Name, Func<IProcessHost> Create)
    {
        public static implicit operator Support.Replay.ReplaySide(ReplaySideFactory side) => new(side.Name, side.Create);
    }
}
