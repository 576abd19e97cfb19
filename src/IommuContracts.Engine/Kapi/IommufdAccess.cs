using IommuContracts.Contracts;
using IommuContracts.Engine.Core;

namespace IommuContracts.Engine.Kapi;

/// <summary>
/// An in-kernel access (struct iommufd_access *): created by a driver, attached to an IOAS before any pin or
/// read, destroyed by the same driver. States: created → attached → (detached) → destroyed.
/// </summary>
[Typestate("Created", "Attached", UseAfterReleaseRule = RuleIds.AccessNotAttached)]
public sealed class IommufdAccess
{
    private const int Alive = 0;
    private const int Destroying = 1;
    private const int Destroyed = 2;

    private int _destroyed;

    internal IommufdAccess(Access access) => Access = access;

    internal Access Access { get; }

    /// <summary>The access's ID in the context.</summary>
    public AccessId Id => Access.Id;

    /// <summary>True once the access was destroyed; any later use is a contract violation.</summary>
    public bool IsDestroyed => Volatile.Read(ref _destroyed) == Destroyed;

    /// <summary>Attached to an IOAS.</summary>
    [StateQuery("Attached")]
    public bool IsAttached
    {
        get
        {
            lock (Access.IoasLock)
            {
                return Access.Ioas is not null;
            }
        }
    }

    // Unpinning stays allowed while destroy runs: destroy asks the driver to unmap everything, and a
    // correct driver unpins in that callback.
    internal void CheckAlive(string operation, bool allowedWhileDestroying = false)
    {
        var state = Volatile.Read(ref _destroyed);
        if (state == Destroyed || (state == Destroying && !allowedWhileDestroying))
        {
            throw new ContractViolationException(RuleIds.AccessNotAttached,
                $"{operation} after iommufd_access_destroy; stop using the access (and the pages it pinned) before destroying it");
        }
    }

    internal void BeginDestroy()
    {
        if (Interlocked.CompareExchange(ref _destroyed, Destroying, Alive) != Alive)
        {
            throw new ContractViolationException(RuleIds.AccessNotAttached, "iommufd_access_destroy called twice; destroy an access exactly once");
        }
    }

    internal void EndDestroy() => Volatile.Write(ref _destroyed, Destroyed);

    /// <summary>The access for logs, <c>access N</c>.</summary>
    /// <returns>The access's name.</returns>
    public override string ToString() => $"access {Id}";
}
