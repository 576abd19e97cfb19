using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.Core;

/// <summary>
/// iommufd_eventq: an object user space reads events from through an anonymous fd (fault queues and vEVENT
/// queues). The open fd holds a user on the object and a reference on the context's file, so the object
/// cannot be destroyed, nor the context released, while it is open.
/// </summary>
internal abstract partial class EventQueue : IommufdObject
{
    protected EventQueue(IommufdContext context)
        : base(context)
    {
    }

    /// <summary>eventq->lock: guards the delivery list.</summary>
    public object QueueLock { get; } = new();

    /// <summary>The anonymous file user space reads; null until <see cref="OpenFile"/>.</summary>
    public EventQueueFile? File { get; private set; }

    /// <summary>The anonymous inode's name ("[iommufd-pgfault]", "[iommufd-viommu-event]").</summary>
    public abstract string FileName { get; }

    /// <summary>
    /// iommufd_eventq_init: the file (ENOMEM), a context reference and a user for it, then an fd reserved in
    /// <paramref name="caller"/> (ENOMEM). On failure nothing is left.
    /// </summary>
    public Errno OpenFile(SimulatedProcess caller, out int fd)
    {
        fd = -1;
        var created = Context.Kernel.Faults.Hit(FaultPoint.Allocation);
        if (created != Errno.None)
        {
            return created;
        }

        File = new EventQueueFile(this);
        Context.GetFileReference();
        AddUser();

        var reserved = Context.Kernel.Faults.Hit(FaultPoint.Allocation);
        if (reserved != Errno.None)
        {
            File.Put();
            return reserved;
        }

        fd = caller.ReserveFd();
        return Errno.None;
    }

    /// <summary>fd_install: the fd becomes usable (after the object is published).</summary>
    public void InstallFile(SimulatedProcess caller, int fd) => caller.InstallReserved(fd, File!);

    /// <summary>put_unused_fd + fput on a failed creation: the file's release gives back the user and the context reference.</summary>
    public void DiscardFile(SimulatedProcess caller, int fd)
    {
        caller.ReleaseReservedFd(fd);
        File!.Put();
    }

    /// <summary>read(2) of the fd.</summary>
    public abstract long Read(SimulatedProcess caller, ulong buffer, ulong count);

    /// <summary>write(2) of the fd; EINVAL for a queue without a write operation.</summary>
    public virtual long Write(SimulatedProcess caller, ulong buffer, ulong count) => Errno.EINVAL.ToSyscallResult();

    /// <summary>poll(2) of the fd.</summary>
    public abstract PollEvents Poll();

    /// <summary>The fd's release: its user on the object and its context reference go.</summary>
    internal void FileReleased()
    {
        DropUser();
        Context.PutFileReference();
    }
}
