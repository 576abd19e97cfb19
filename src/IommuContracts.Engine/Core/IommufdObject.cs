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

    // The table's lock is held for these, but puts run without it: every change is atomic, or a
    // concurrent put's decrement is lost and the object can never be destroyed.
    // iommufd_lock_obj: each count goes up only if it is not zero (refcount_inc_not_zero), users first. An owner
    // that drops the table's short-term bias at the same time either sees this lookup and waits for it, or makes
    // it fail here; a check followed by plain increments let a lookup in after the owner had found none.
    internal bool TryLockForLookup()
    {
        if (!IncrementUnlessZero(ref _users))
        {
            return false;
        }

        Context.Kernel.Interleavings.Reach(Faults.InterleavingPoint.LookupTookUser);
        if (!IncrementUnlessZero(ref _shortTermUsers))
        {
            Interlocked.Decrement(ref _users);
            return false;
        }

        return true;
    }

    private static bool IncrementUnlessZero(ref int counter)
    {
        var current = Volatile.Read(ref counter);
        while (current != 0)
        {
            var seen = Interlocked.CompareExchange(ref counter, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    // refcount_dec_if_one.
    internal bool TryDropLastUser() => Interlocked.CompareExchange(ref _users, 0, 1) == 1;

    /// <summary>iommufd_put_object: users first, then the short-term count, so a destroyer never sees a stale pair.</summary>
    internal int PutShortTerm()
    {
        Interlocked.Decrement(ref _users);
        return Interlocked.Decrement(ref _shortTermUsers);
    }

    internal int DropShortTermBias() => Interlocked.Decrement(ref _shortTermUsers);

    /// <summary>refcount_inc of the short-term count: the table's bias back after a wait that timed out.</summary>
    internal void AddShortTermBias() => Interlocked.Increment(ref _shortTermUsers);

    /// <summary>refcount_set(&amp;shortterm_users, 1): the table's bias back after a removal that found other users (nobody else can hold it then).</summary>
    internal void RestoreShortTermBias() => Volatile.Write(ref _shortTermUsers, 1);

    public override string ToString() => $"{Kind}#{RawId}";
}
