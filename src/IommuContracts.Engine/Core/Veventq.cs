using IommuContracts.Contracts;
using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Host;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

/// <summary>
/// A vIOMMU event queue (IOMMUFD_OBJ_VEVENTQ, IOMMU_VEVENTQ_ALLOC): the vIOMMU's events of one type, read
/// from the fd as an <see cref="IommufdVeventHeader"/> followed by the event data. It holds at most
/// <see cref="Depth"/> events; while it is full, reports are lost and a LOST_EVENTS header (no data) ends the
/// queue. Sequence numbers count every report, so a gap also shows a loss.
/// </summary>
[IommufdObject(typeof(VeventqId), Kind = 9)]
internal sealed partial class Veventq : EventQueue
{
    private const int HeaderSize = 8;

    private readonly LinkedList<Vevent> _deliver = new();
    private readonly Vevent _lostEventsHeader = new(IommuVeventqFlags.LostEvents, []);
    private uint _events;
    private uint _sequence;

    public Veventq(IommufdContext context, Viommu viommu, IommuVeventqType type, uint depth)
        : base(context)
    {
        Viommu = viommu;
        Type = type;
        Depth = depth;
    }

    public Viommu Viommu { get; }

    public IommuVeventqType Type { get; }

    /// <summary>The most events the queue holds.</summary>
    public uint Depth { get; }

    public override string FileName => "[iommufd-viommu-event]";

    /// <summary>Events waiting to be read (not counting a lost-events header).</summary>
    public uint Events
    {
        get
        {
            lock (QueueLock)
            {
                return _events;
            }
        }
    }

    /// <summary>The report half of iommufd_viommu_report_event (the vIOMMU's queue lock is held).</summary>
    public Errno Report(ReadOnlySpan<byte> data)
    {
        lock (QueueLock)
        {
            if (_events == Depth)
            {
                Queue(_lostEventsHeader);
                return Errno.None;
            }

            if (Context.Kernel.Faults.Hit(FaultPoint.Allocation) != Errno.None)
            {
                Queue(_lostEventsHeader);
                return Errno.ENOMEM;
            }

            Queue(new Vevent(IommuVeventqFlags.None, data.ToArray()));
            _events++;
            return Errno.None;
        }
    }

    /// <summary>
    /// read(2): each event as its header and data, whole events only; a lost-events header alone. 0 when
    /// nothing (that fits) is queued; EFAULT when nothing could be copied.
    /// </summary>
    public override long Read(SimulatedProcess caller, ulong buffer, ulong count)
    {
        ulong done = 0;
        var failure = Errno.None;
        while (Fetch() is { } current)
        {
            if (done >= count || HeaderSize > count - done
                || (!current.IsLostEventsHeader && HeaderSize + (ulong)current.Data.Length > count - done))
            {
                Restore(current);
                break;
            }

            var header = new IommufdVeventHeader { Flags = current.Flags, Sequence = current.Sequence };
            if (caller.Write(buffer + done, System.Runtime.InteropServices.MemoryMarshal.AsBytes(new Span<IommufdVeventHeader>(ref header))) != Errno.None)
            {
                Restore(current);
                failure = Errno.EFAULT;
                break;
            }

            done += HeaderSize;
            if (current.Data.Length != 0 && caller.Write(buffer + done, current.Data) != Errno.None)
            {
                Restore(current);
                failure = Errno.EFAULT;
                break;
            }

            lock (QueueLock)
            {
                if (!current.IsLostEventsHeader)
                {
                    _events--;
                }
            }

            done += (ulong)current.Data.Length;
        }

        return done == 0 ? failure.ToSyscallResult() : (long)done;
    }

    /// <summary>Readable while anything is queued; never writable (no write operation).</summary>
    public override PollEvents Poll()
    {
        lock (QueueLock)
        {
            return _deliver.Count != 0 ? PollEvents.In | PollEvents.RdNorm : PollEvents.None;
        }
    }

    /// <summary>iommufd_veventq_abort: queued events dropped, out of the vIOMMU's list, its user on the vIOMMU gone.</summary>
    internal void Abort()
    {
        lock (Viommu.VeventqLock)
        {
            lock (QueueLock)
            {
                _deliver.Clear();
                _events = 0;
            }

            Viommu.DropUser();
            Viommu.RemoveVeventq(this);
        }
    }

    /// <summary>iommufd_veventq_destroy: the abort under the vIOMMU's queue lock.</summary>
    internal void Destroy() => Abort();

    // iommufd_vevent_handler: a lost-events header at the end gives way to the new entry (which may be that
    // header again, with a new sequence number).
    private void Queue(Vevent vevent)
    {
        if (_deliver.Last is { } last && ReferenceEquals(last.Value, _lostEventsHeader))
        {
            _deliver.RemoveLast();
        }

        _deliver.AddLast(vevent);
        vevent.Sequence = _sequence;
        _sequence = (_sequence + 1) & int.MaxValue;
    }

    // iommufd_veventq_deliver_fetch: the first entry, a copy of it for the lost-events header (whose
    // GFP_ATOMIC allocation can fail, which ends the read).
    private Vevent? Fetch()
    {
        lock (QueueLock)
        {
            if (_deliver.First is not { } first)
            {
                return null;
            }

            if (ReferenceEquals(first.Value, _lostEventsHeader))
            {
                if (Context.Kernel.Faults.Hit(FaultPoint.Allocation) != Errno.None)
                {
                    return null;
                }

                _deliver.RemoveFirst();
                return new Vevent(_lostEventsHeader.Flags, []) { Sequence = _lostEventsHeader.Sequence, IsLostEventsHeader = true };
            }

            _deliver.RemoveFirst();
            return first.Value;
        }
    }

    // iommufd_veventq_deliver_restore: back to the head; a lost-events copy is dropped, and the header
    // itself goes back only into an empty queue.
    private void Restore(Vevent vevent)
    {
        lock (QueueLock)
        {
            if (vevent.IsLostEventsHeader)
            {
                if (_deliver.Count == 0)
                {
                    _deliver.AddFirst(_lostEventsHeader);
                }

                return;
            }

            _deliver.AddFirst(vevent);
        }
    }

    private sealed class Vevent
    {
        public Vevent(IommuVeventqFlags flags, byte[] data)
        {
            Flags = flags;
            Data = data;
            IsLostEventsHeader = (flags & IommuVeventqFlags.LostEvents) != 0;
        }

        public IommuVeventqFlags Flags { get; }

        public byte[] Data { get; }

        public uint Sequence { get; set; }

        public bool IsLostEventsHeader { get; init; }
    }
}
