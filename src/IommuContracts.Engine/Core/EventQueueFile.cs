using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.Core;

/// <summary>The anonymous file of an event queue (nonseekable): read, write and poll go to the queue.</summary>
internal sealed class EventQueueFile : OpenFile
{
    public EventQueueFile(EventQueue queue) => Queue = queue;

    public EventQueue Queue { get; }

    public override string Name => Queue.FileName;

    public override int Ioctl(SimulatedProcess caller, uint command, ulong argument) => Errno.ENOTTY.ToSyscallResult();

    public override long Read(SimulatedProcess caller, ulong buffer, ulong count) => Queue.Read(caller, buffer, count);

    public override long Write(SimulatedProcess caller, ulong buffer, ulong count) => Queue.Write(caller, buffer, count);

    public override PollEvents Poll() => Queue.Poll();

    protected override void Release() => Queue.FileReleased();
}
