using IommuContracts.Contracts;
using IommuContracts.Engine.IoPageTable;
using IommuContracts.Engine.Kapi;

namespace IommuContracts.Engine.Core;

/// <summary>
/// An in-kernel access (iommufd_access): lets an emulated-DMA driver pin and read IOAS memory through the
/// CPU. Created and destroyed only by its driver; attached to at most one IOAS at a time.
/// </summary>
[IommufdObject(typeof(AccessId), Kind = 5)]
internal sealed partial class Access : IommufdObject, IIoptAccess
{
    private readonly List<(ulong Iova, ulong Length)> _pins = new();
    private readonly IIommufdAccessOps? _ops;

    public Access(IommufdContext context, IIommufdAccessOps ops)
        : base(context)
        => _ops = ops;

    /// <summary>
    /// iommufd_access_create_internal: an access of iommufd itself (a HW queue's): no driver ops, no context
    /// reference, never asked to unmap; its pins lock the areas they touch, so IOAS_UNMAP answers EBUSY.
    /// </summary>
    public Access(IommufdContext context)
        : base(context)
        => IsInternal = true;

    /// <summary>The driver's ops; an internal access has none.</summary>
    public IIommufdAccessOps Ops => _ops ?? throw new InvalidOperationException($"{this} is internal and has no ops");

    /// <summary>An access of iommufd itself (iommufd_access_is_internal).</summary>
    public bool IsInternal { get; }

    /// <summary>access->ioas_lock (dropped around ops->unmap).</summary>
    public object IoasLock { get; } = new();

    /// <summary>The IOAS pins and reads go to; null when detached (or while changing).</summary>
    public Ioas? Ioas { get; set; }

    /// <summary>The IOAS unpins go to (ioas_unpin): set even while a change is in progress.</summary>
    public Ioas? IoasForUnpin { get; set; }

    public ulong IovaAlignment => IsInternal || Ops.NeedsPinPages ? IoPageTable.IoPageTable.PageSize : 1;

    /// <summary>The ranges this access has pinned and not yet unpinned.</summary>
    public List<(ulong Iova, ulong Length)> Pins => _pins;

    public void NotifyUnmap(ulong iova, ulong length)
    {
        if (!IsInternal)
        {
            Ops.Unmap(iova, length);
        }
    }

    /// <summary>iommufd_access_destroy_object: detaches (asking the driver to unpin everything) and drops the context reference.</summary>
    internal void Destroy()
    {
        lock (IoasLock)
        {
            if (Ioas is not null && ChangeIoas(null) != Errno.None)
            {
                Context.Kernel.Log.Warn($"{this}: detach at destroy failed");
            }
        }

        if (!IsInternal)
        {
            Context.PutFileReference();
        }
    }

    /// <summary>
    /// iommufd_access_change_ioas (IoasLock held): joins the new IOAS first, then asks the driver to unpin
    /// everything in the old one (without the lock) and leaves it.
    /// </summary>
    internal Errno ChangeIoas(Ioas? next)
    {
        var current = Ioas;
        if (!ReferenceEquals(current, IoasForUnpin))
        {
            return Errno.EBUSY;
        }

        if (ReferenceEquals(current, next))
        {
            return Errno.None;
        }

        Ioas = null;
        if (next is not null)
        {
            var added = next.Iopt.AddAccess(this);
            if (added != Errno.None)
            {
                Ioas = current;
                return added;
            }

            next.AddUser();
        }

        if (current is not null)
        {
            if (!IsInternal)
            {
                Monitor.Exit(IoasLock);
                try
                {
                    Ops.Unmap(0, ulong.MaxValue);
                }
                finally
                {
                    Monitor.Enter(IoasLock);
                }
            }

            current.Iopt.RemoveAccess(this);
            current.DropUser();
        }

        Ioas = next;
        IoasForUnpin = next;
        return Errno.None;
    }
}
