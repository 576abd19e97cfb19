using IommuContracts.Contracts;
using IommuContracts.Engine.Faults;

namespace IommuContracts.Engine.Core;

/// <summary>
/// The ID → object table of one context (the kernel's alloc1 xarray): IDs from 1, lowest free first and
/// reused at once, created in two phases (reserved while being built, invisible to lookups and DESTROY,
/// then published or aborted without a trace).
/// </summary>
[IommufdObjectTable(typeof(IommufdObject))]
internal sealed partial class ObjectTable
{
    /// <summary>The kernel's cap on IDs (xa_limit_31b).</summary>
    public const uint MaxId = int.MaxValue;

    private static readonly TimeSpan ShortTermWait = TimeSpan.FromSeconds(60);

    private readonly object _lock = new();
    private readonly Dictionary<uint, Slot> _slots = new();
    private readonly SortedSet<uint> _freed = new();
    private readonly IommufdContext _context;
    private uint _next = 1;

    public ObjectTable(IommufdContext context) => _context = context;

    /// <summary>Objects in the table, reserved or published (tombstones are not objects).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _slots.Count(s => !s.Value.IsTombstone);
            }
        }
    }

    public bool IsEmpty => Count == 0;

    /// <summary>iommufd_object_alloc: reserves the lowest free ID for <paramref name="obj"/>; ENOMEM if allocation fails, ENOSPC if IDs ran out.</summary>
    public Errno Allocate(IommufdObject obj)
    {
        var faults = _context.Kernel.Faults;
        var failed = faults.Hit(FaultPoint.Allocation);
        if (failed == Errno.None)
        {
            failed = faults.Hit(FaultPoint.ObjectIdReserve);
        }

        if (failed != Errno.None)
        {
            return failed;
        }

        lock (_lock)
        {
            uint id;
            if (_freed.Count > 0)
            {
                id = _freed.Min;
                _freed.Remove(id);
            }
            else if (_next <= MaxId)
            {
                id = _next++;
            }
            else
            {
                return Errno.ENOSPC;
            }

            obj.RawId = id;
            _slots[id] = new Slot(obj);
            return Errno.None;
        }
    }

    /// <summary>iommufd_object_finalize: the object becomes visible to lookups and DESTROY.</summary>
    public void Publish(IommufdObject obj)
    {
        lock (_lock)
        {
            _slots[obj.RawId].Published = true;
        }
    }

    /// <summary>iommufd_object_abort_and_destroy: runs the kind's abort operation and frees the ID as if nothing happened.</summary>
    public void Abort(IommufdObject obj)
    {
        if (obj.Users != 1)
        {
            _context.Kernel.Log.Warn($"{obj} aborted with users {obj.Users}");
        }

        IommufdObject.AbortOps[(int)obj.Kind]!(obj);
        lock (_lock)
        {
            Release(obj);
        }
    }

    /// <summary>Looks up any kind of object (or one kind) and takes a short-term reference; ENOENT when absent, reserved, of another kind or dying.</summary>
    public Errno Lookup(ObjectId id, ObjectKind kind, out IommufdObject? value) => LookupCore(id.Value, kind, out value);

    private partial Errno LookupCore<TObject>(uint id, ObjectKind kind, out TObject? value)
        where TObject : IommufdObject
    {
        value = null;
        lock (_lock)
        {
            if (!_slots.TryGetValue(id, out var slot) || !slot.Published
                || (kind != ObjectKind.Any && slot.Object.Kind != kind)
                || slot.Object is not TObject typed
                || !slot.Object.TryLockForLookup())
            {
                return Errno.ENOENT;
            }

            value = typed;
            return Errno.None;
        }
    }

    /// <summary>iommufd_lock_obj: a short-term reference on an object already in hand, if it is published and alive.</summary>
    public bool TryLock(IommufdObject obj)
    {
        lock (_lock)
        {
            return _slots.TryGetValue(obj.RawId, out var slot) && ReferenceEquals(slot.Object, obj) && slot.Published && obj.TryLockForLookup();
        }
    }

    /// <summary>iommufd_put_object: drops a short-term reference taken by a lookup.</summary>
    public void Put(IommufdObject obj)
    {
        if (obj.PutShortTerm() == 0)
        {
            lock (_lock)
            {
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>
    /// IOMMU_DESTROY: ENOENT for an unknown or reserved ID, EBUSY while anyone else holds the object
    /// (including a racing ioctl's lookup); otherwise it leaves the table and is destroyed.
    /// </summary>
    public Errno RemoveByUser(uint id)
    {
        IommufdObject obj;
        lock (_lock)
        {
            if (!_slots.TryGetValue(id, out var slot) || !slot.Published)
            {
                return Errno.ENOENT;
            }

            obj = slot.Object;
            if (!obj.TryDropLastUser())
            {
                return Errno.EBUSY;
            }

            Release(obj);
        }

        WaitForShortTerm(obj);
        IommufdObject.DestroyOps[(int)obj.Kind]!(obj);
        return Errno.None;
    }

    /// <summary>
    /// iommufd_object_destroy_user (iommufd_object_remove with REMOVE_WAIT_SHORTTERM): the owner (a driver)
    /// destroys an object it created. It first waits for lookups in flight (an ioctl holding the object by ID)
    /// to put their references, then drops the owner's reference and requires nobody else to hold it:
    /// otherwise EBUSY and a WARN, and the object stays for close-time cleanup. Once the wait is over, new
    /// lookups of the ID fail.
    /// </summary>
    public Errno RemoveOwned(IommufdObject obj)
    {
        if (!Holds(obj))
        {
            _context.Kernel.Log.Warn($"{obj}: destroyed by its owner but not in the table");
            return Errno.ENOENT;
        }

        _context.Kernel.Interleavings.Reach(Faults.InterleavingPoint.OwnerRemoveFound);
        if (!WaitForShortTerm(obj))
        {
            // A lookup that never ends is a bug: the owner's reference goes and the object waits for close.
            obj.DropUser();
            return Errno.EBUSY;
        }

        lock (_lock)
        {
            // The owner's long-term reference goes first; then only the table's may remain.
            obj.DropUser();
            if (!Holds(obj) || !obj.TryDropLastUser())
            {
                // As in the kernel the owner's reference stays dropped and the table's short-term bias comes
                // back: the object leaks until close.
                obj.RestoreShortTermBias();
                _context.Kernel.Log.Warn($"{obj}: destroyed by its owner while still in use (users {obj.Users})");
                return Errno.EBUSY;
            }

            Release(obj);
        }

        IommufdObject.DestroyOps[(int)obj.Kind]!(obj);
        return Errno.None;
    }

    /// <summary>
    /// iommufd_object_tombstone_user: as <see cref="RemoveOwned"/>, but the ID stays taken (a tombstone) until the
    /// context is released: lookups and DESTROY of it are ENOENT and it is never handed out again. The caller
    /// passes in a long-term reference of its own, which this drops.
    /// </summary>
    public Errno Tombstone(IommufdObject obj)
    {
        lock (_lock)
        {
            if (!_slots.TryGetValue(obj.RawId, out var slot) || !ReferenceEquals(slot.Object, obj))
            {
                _context.Kernel.Log.Warn($"{obj}: tombstoned but not in the table");
                return Errno.ENOENT;
            }

            obj.DropUser();
            if (!obj.TryDropLastUser())
            {
                _context.Kernel.Log.Warn($"{obj}: tombstoned while still in use (users {obj.Users})");
                return Errno.EBUSY;
            }

            slot.Published = false;
            slot.IsTombstone = true;
            _context.ForgetVfioIoas(obj);
        }

        WaitForShortTerm(obj);
        IommufdObject.DestroyOps[(int)obj.Kind]!(obj);
        return Errno.None;
    }

    /// <summary>The IDs left as tombstones.</summary>
    public List<uint> TombstoneIds()
    {
        lock (_lock)
        {
            return _slots.Where(s => s.Value.IsTombstone).Select(s => s.Key).OrderBy(k => k).ToList();
        }
    }

    /// <summary>"Put and try destroy" for automatic domains: drops the caller's reference and destroys only if that was the last but the table's.</summary>
    public void PutAndTryDestroy(IommufdObject obj)
    {
        lock (_lock)
        {
            obj.DropUser();
            if (!_slots.TryGetValue(obj.RawId, out var slot) || !ReferenceEquals(slot.Object, obj))
            {
                return;
            }

            // An object still being built belongs to its creator, who publishes or aborts it; nobody else can hold
            // it, so a put from elsewhere is an engine bug (the kernel would put a reserved slot's zero entry).
            if (!slot.Published)
            {
                _context.Kernel.Log.Warn($"{obj}: put while still being built; only its creator may hold it until it is published");
                return;
            }

            if (!obj.TryDropLastUser())
            {
                return;
            }

            Release(obj);
        }

        WaitForShortTerm(obj);
        IommufdObject.DestroyOps[(int)obj.Kind]!(obj);
    }

    /// <summary>
    /// Close of the fd: repeatedly destroys, in ID order, every object that only the table holds, until the
    /// table is empty. A sweep that destroys nothing while objects remain is a refcount bug (WARN).
    /// </summary>
    public void ReleaseAll()
    {
        while (true)
        {
            List<IommufdObject> snapshot;
            lock (_lock)
            {
                if (_slots.All(s => s.Value.IsTombstone))
                {
                    // xa_destroy: the tombstones go with the table.
                    foreach (var id in _slots.Keys.ToList())
                    {
                        Release(_slots[id].Object);
                    }

                    return;
                }

                snapshot = _slots.Where(s => !s.Value.IsTombstone).OrderBy(s => s.Key).Select(s => s.Value.Object).ToList();
            }

            var destroyed = 0;
            foreach (var obj in snapshot)
            {
                lock (_lock)
                {
                    if (!_slots.TryGetValue(obj.RawId, out var slot) || !ReferenceEquals(slot.Object, obj) || !obj.TryDropLastUser())
                    {
                        continue;
                    }

                    Release(obj);
                }

                destroyed++;
                IommufdObject.DestroyOps[(int)obj.Kind]!(obj);
            }

            if (destroyed == 0)
            {
                _context.Kernel.Log.Warn($"iommufd release: {Count} objects still referenced");
                return;
            }
        }
    }

    /// <summary>Published objects in ID order.</summary>
    public List<IommufdObject> Snapshot()
    {
        lock (_lock)
        {
            return _slots.Where(s => s.Value.Published).OrderBy(s => s.Key).Select(s => s.Value.Object).ToList();
        }
    }

    /// <summary>The IDs currently reserved but not yet published.</summary>
    public List<uint> ReservedIds()
    {
        lock (_lock)
        {
            return _slots.Where(s => !s.Value.Published && !s.Value.IsTombstone).Select(s => s.Key).OrderBy(k => k).ToList();
        }
    }

    // The table's lock is held.
    private void Release(IommufdObject obj)
    {
        var id = obj.RawId;
        _slots.Remove(id);
        if (id == _next - 1)
        {
            _next--;
            while (_freed.Count > 0 && _freed.Max == _next - 1)
            {
                _next--;
                _freed.Remove(_next);
            }
        }
        else
        {
            _freed.Add(id);
        }

        _context.ForgetVfioIoas(obj);
    }

    private bool Holds(IommufdObject obj)
    {
        lock (_lock)
        {
            return _slots.TryGetValue(obj.RawId, out var slot) && ReferenceEquals(slot.Object, obj);
        }
    }

    // iommufd_object_dec_wait_shortterm: drops the table's short-term bias and waits for lookups that hold the
    // object to put their references. On a time-out (a bug) the bias comes back, a WARN is logged and false
    // is returned.
    private bool WaitForShortTerm(IommufdObject obj)
    {
        if (obj.DropShortTermBias() == 0)
        {
            return true;
        }

        var deadline = DateTime.UtcNow + ShortTermWait;
        lock (_lock)
        {
            while (obj.ShortTermUsers != 0)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    obj.AddShortTermBias();
                    _context.Kernel.Log.Warn($"{obj}: timed out waiting for short-term users");
                    return false;
                }

                Monitor.Wait(_lock, left);
            }
        }

        return true;
    }

    private sealed class Slot
    {
        public Slot(IommufdObject obj) => Object = obj;

        public IommufdObject Object { get; }

        public bool Published { get; set; }

        /// <summary>The object was destroyed but its ID stays taken until the context is released.</summary>
        public bool IsTombstone { get; set; }
    }
}
