using System.Runtime.InteropServices;
using IommuContracts.Contracts;
using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Host;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

/// <summary>
/// A fault queue (IOMMUFD_OBJ_FAULT, IOMMU_FAULT_QUEUE_ALLOC): HWPTs allocated with FAULT_ID_VALID deliver
/// their devices' I/O page fault groups here. User space reads them as <see cref="IommuHwptPgfault"/> records
/// from the fd, each group under a cookie, and writes one <see cref="IommuHwptPageResponse"/> per group back.
/// Groups still pending when their attachment goes, or when the queue is destroyed, are answered INVALID.
/// </summary>
[IommufdObject(typeof(FaultId), Kind = 6)]
internal sealed partial class FaultQueue : EventQueue
{
    private const int FaultSize = 40;
    private const int ResponseSize = 8;

    // fault->mutex: read, write and the automatic responses; the delivery list is under QueueLock.
    private readonly object _mutex = new();
    private readonly LinkedList<FaultGroup> _deliver = new();
    private readonly SortedDictionary<uint, FaultGroup> _response = new();

    public FaultQueue(IommufdContext context)
        : base(context)
    {
    }

    public override string FileName => "[iommufd-pgfault]";

    /// <summary>Groups waiting to be read.</summary>
    public int PendingGroups
    {
        get
        {
            lock (QueueLock)
            {
                return _deliver.Count;
            }
        }
    }

    /// <summary>Groups read and not answered yet.</summary>
    public int UnansweredGroups
    {
        get
        {
            lock (_mutex)
            {
                return _response.Count;
            }
        }
    }

    /// <summary>iommufd_fault_iopf_handler: the group joins the end of the delivery list.</summary>
    public void Deliver(FaultGroup group)
    {
        lock (QueueLock)
        {
            _deliver.AddLast(group);
        }
    }

    /// <summary>
    /// read(2): whole groups only, as many as fit; each read group gets a cookie. ESPIPE unless the count is a
    /// multiple of 40; 0 when nothing is pending; EINVAL when the first pending group does not fit the count;
    /// EFAULT when nothing could be copied (a group copied in part is not counted and stays queued).
    /// </summary>
    public override long Read(SimulatedProcess caller, ulong buffer, ulong count)
    {
        if (count % FaultSize != 0)
        {
            return Errno.ESPIPE.ToSyscallResult();
        }

        ulong done = 0;
        var failure = Errno.None;
        lock (_mutex)
        {
            while (Fetch() is { } group)
            {
                if (done >= count || (ulong)group.Requests.Count * FaultSize > count - done)
                {
                    // "Reject invalid read count": a buffer too small for the first group is EINVAL, not 0.
                    Restore(group);
                    if (done == 0)
                    {
                        failure = Errno.EINVAL;
                    }

                    break;
                }

                var cookie = AllocateCookie();
                if (cookie == 0)
                {
                    Restore(group);
                    failure = Errno.ENOMEM;
                    break;
                }

                group.Cookie = cookie;
                _response[cookie] = group;
                // "Avoid partial fault group delivery" / "Break the loop on failure": a failed copy gives the
                // group back whole (its records copied so far do not count) and ends the read.
                var groupStart = done;
                if (CopyGroup(caller, buffer, ref done, group) != Errno.None)
                {
                    done = groupStart;
                    _response.Remove(cookie);
                    Restore(group);
                    failure = Errno.EFAULT;
                    break;
                }
            }
        }

        return done == 0 ? failure.ToSyscallResult() : (long)done;
    }

    /// <summary>
    /// write(2): responses, 8 bytes each, applied in order until one fails. ESPIPE unless the count is a
    /// multiple of 8; EINVAL for an unknown code or cookie. Returns the bytes of the responses applied.
    /// </summary>
    public override long Write(SimulatedProcess caller, ulong buffer, ulong count)
    {
        if (count % ResponseSize != 0)
        {
            return Errno.ESPIPE.ToSyscallResult();
        }

        ulong done = 0;
        long result = 0;
        Span<byte> bytes = stackalloc byte[ResponseSize];
        lock (_mutex)
        {
            while (count > done)
            {
                if (caller.Read(buffer + done, bytes) != Errno.None)
                {
                    // The kernel returns copy_from_user's count of bytes not copied here, a positive number.
                    result = ResponseSize;
                    break;
                }

                var response = MemoryMarshal.Read<IommuHwptPageResponse>(bytes);
                if (response.Code is not IommufdPageResponseCode.Success and not IommufdPageResponseCode.Invalid)
                {
                    result = Errno.EINVAL.ToSyscallResult();
                    break;
                }

                if (!_response.Remove(response.Cookie, out var group))
                {
                    result = Errno.EINVAL.ToSyscallResult();
                    break;
                }

                group.Respond(response.Code);
                done += ResponseSize;
            }
        }

        return done == 0 ? result : (long)done;
    }

    /// <summary>Always writable; readable while a group is pending.</summary>
    public override PollEvents Poll()
    {
        lock (QueueLock)
        {
            return PollEvents.Out | (_deliver.Count != 0 ? PollEvents.In | PollEvents.RdNorm : PollEvents.None);
        }
    }

    /// <summary>iommufd_auto_response_faults: every group that arrived through <paramref name="handle"/>, read or not, is answered INVALID.</summary>
    public void AutoRespond(AttachHandle handle)
    {
        var answered = new List<FaultGroup>();
        lock (_mutex)
        {
            lock (QueueLock)
            {
                for (var node = _deliver.First; node is not null;)
                {
                    var next = node.Next;
                    if (ReferenceEquals(node.Value.Handle, handle))
                    {
                        answered.Add(node.Value);
                        _deliver.Remove(node);
                    }

                    node = next;
                }
            }

            foreach (var (cookie, group) in _response.Where(r => ReferenceEquals(r.Value.Handle, handle)).ToList())
            {
                _response.Remove(cookie);
                answered.Add(group);
            }

            answered.ForEach(group => group.Respond(IommufdPageResponseCode.Invalid));
        }
    }

    /// <summary>iommufd_fault_destroy: every group still here is answered INVALID.</summary>
    internal void Destroy()
    {
        lock (_mutex)
        {
            List<FaultGroup> pending;
            lock (QueueLock)
            {
                pending = _deliver.ToList();
                _deliver.Clear();
            }

            pending.AddRange(_response.Values);
            _response.Clear();
            pending.ForEach(group => group.Respond(IommufdPageResponseCode.Invalid));
        }
    }

    private FaultGroup? Fetch()
    {
        lock (QueueLock)
        {
            if (_deliver.First is not { } first)
            {
                return null;
            }

            _deliver.RemoveFirst();
            return first.Value;
        }
    }

    private void Restore(FaultGroup group)
    {
        lock (QueueLock)
        {
            _deliver.AddFirst(group);
        }
    }

    // xa_alloc into the response table: the lowest free cookie from 1; 0 when the allocation fails.
    private uint AllocateCookie()
    {
        if (Context.Kernel.Faults.Hit(FaultPoint.Allocation) != Errno.None)
        {
            return 0;
        }

        uint cookie = 1;
        foreach (var used in _response.Keys)
        {
            if (used != cookie)
            {
                break;
            }

            cookie++;
        }

        return cookie;
    }

    // iommufd_compose_fault_message for each request of the group, copied one after the other.
    private static Errno CopyGroup(SimulatedProcess caller, ulong buffer, ref ulong done, FaultGroup group)
    {
        foreach (var request in group.Requests)
        {
            var record = new IommuHwptPgfault
            {
                Flags = request.Flags,
                DevId = group.Handle.Idev.Id,
                Pasid = request.Pasid,
                Grpid = request.GroupId,
                Perm = request.Permissions,
                Addr = request.Address,
                Length = 0,
                Cookie = group.Cookie,
            };

            if (caller.Write(buffer + done, MemoryMarshal.AsBytes(new Span<IommuHwptPgfault>(ref record))) != Errno.None)
            {
                return Errno.EFAULT;
            }

            done += FaultSize;
        }

        return Errno.None;
    }
}
