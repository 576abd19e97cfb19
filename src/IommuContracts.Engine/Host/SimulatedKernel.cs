using System.Collections.Concurrent;
using IommuContracts.Engine.Faults;

namespace IommuContracts.Engine.Host;

/// <summary>
/// The machine under the simulated processes: physical memory, the kernel log, fault injection, users and
/// host-wide settings. Several processes may share one kernel (and one user's locked_vm).
/// </summary>
public sealed class SimulatedKernel
{
    private readonly ConcurrentDictionary<int, UserAccount> _users = new();

    public KernelLog Log { get; } = new();

    public FaultInjector Faults { get; } = new();

    internal PhysicalMemory PhysicalMemory { get; } = new();

    public UserAccount User(int uid) => _users.GetOrAdd(uid, id => new UserAccount(id));
}
