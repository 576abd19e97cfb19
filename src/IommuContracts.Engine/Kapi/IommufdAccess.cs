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
    private int _destroyed;

    internal IommufdAccess(Access access) => Access = access;

    internal Access Access { get; }

    public AccessId Id => Access.Id;

    public bool IsDestroyed => Volatile.Read(ref _destroyed) != 0;

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

    internal void CheckAlive(string operation)
    {
        if (IsDestroyed)
        {
            throw new ContractViolationException(RuleIds.AccessNotAttached,
                $"{operation} after iommufd_access_destroy; stop using the access (and the pages it pinned) before destroying it");
        }
    }

    internal void MarkDestroyed()
    {
        if (Interlocked.Exchange(ref _destroyed, 1) != 0)
        {
            throw new ContractViolationException(RuleIds.AccessNotAttached, "iommufd_access_destroy called twice; destroy an access exactly once");
        }
    }

    public override string ToString() => $"access {Id}";
}
