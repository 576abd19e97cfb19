namespace IommuContracts.Engine.Host;

/// <summary>A user (uid): the per-user locked_vm that RLIMIT_MEMLOCK accounting charges by default.</summary>
public sealed class UserAccount
{
    private long _lockedPages;

    internal UserAccount(int uid) => Uid = uid;

    /// <summary>The user ID.</summary>
    public int Uid { get; }

    /// <summary>Pages charged to this user (user->locked_vm).</summary>
    public long LockedPages => Volatile.Read(ref _lockedPages);

    internal ref long LockedPagesCounter => ref _lockedPages;
}
