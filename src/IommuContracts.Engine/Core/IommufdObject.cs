using IommuContracts.Contracts;

namespace IommuContracts.Engine.Core;

/// <summary>
/// Base of every object in a context's table. Two counters, as in the kernel: <c>users</c> (the table's
/// own reference plus every long-term holder: other objects, attachments, the driver that created it)
/// and <c>shortTermUsers</c> (a bias of 1 while the object is in the table, plus every in-flight lookup).
/// </summary>
[IommufdObjectBase]
internal abstract partial class IommufdObject
{
    private int _users = 1;
    private int _shortTermUsers = 1;

    protected IommufdObject(IommufdContext context) => Context = context;

    public IommufdContext Context { get; }

    public int Users => Volatile.Read(ref _users);

    public int ShortTermUsers => Volatile.Read(ref _shortTermUsers);

    /// <summary>A long-term reference (refcount_inc(&amp;obj->users)).</summary>
    public void AddUser() => Interlocked.Increment(ref _users);

    /// <summary>Drops a long-term reference.</summary>
    public void DropUser()
    {
        if (Interlocked.Decrement(ref _users) < 0)
        {
            Context.Kernel.Log.Warn($"{Kind} {RawId}: users below zero");
        }
    }

    // The table's lock is held for these.
    internal bool TryLockForLookup()
    {
        if (_users == 0 || _shortTermUsers == 0)
        {
            return false;
        }

        _users++;
        _shortTermUsers++;
        return true;
    }

    internal bool TryDropLastUser()
    {
        if (_users != 1)
        {
            return false;
        }

        _users = 0;
        return true;
    }

    /// <summary>iommufd_put_object: users first, then the short-term count, so a destroyer never sees a stale pair.</summary>
    internal int PutShortTerm()
    {
        Interlocked.Decrement(ref _users);
        return Interlocked.Decrement(ref _shortTermUsers);
    }

    internal int DropShortTermBias() => Interlocked.Decrement(ref _shortTermUsers);

    public override string ToString() => $"{Kind}#{RawId}";
}
