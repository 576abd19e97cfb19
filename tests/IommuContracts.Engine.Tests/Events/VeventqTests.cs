using System.Runtime.InteropServices;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Events;

/// <summary>The vEVENT queue's fd as eventq.c defines it: whole events, a lost-events header at the end of a full queue, poll, no write.</summary>
public sealed class VeventqTests : IommufdViommuFixture
{
    private const int EventSize = 8 + 4;

    public VeventqTests()
        : base(viommu: true)
    {
        Assert.Equal(Errno.None, VdeviceAlloc(ViommuId, DeviceId, 0x42, out _));
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, NestedHwptId));
    }

    [Fact]
    public void Without_a_queue_the_event_has_nowhere_to_go()
    {
        Assert.Equal(Errno.EOPNOTSUPP, TriggerVevent(DeviceId));
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, Ioas));
    }

    [Fact]
    public void Reads_whole_events_only_and_cannot_be_written()
    {
        Assert.Equal(Errno.None, VeventqAlloc(ViommuId, IommuVeventqType.Selftest, out var queue, out var fd));
        Assert.Equal(PollEvents.None, Process.Poll(fd));
        Assert.Equal(Errno.EINVAL, VeventqAllocDepth(0));
        Assert.Equal(Errno.EOPNOTSUPP, File.VeventqAlloc(IommuVeventqAllocFlags.None, ViommuId, IommuVeventqType.Default, 2, out _, out _));

        TriggerVevents(DeviceId, 1);
        Assert.Equal(PollEvents.In | PollEvents.RdNorm, Process.Poll(fd));

        // Too small for the header, then for the data: nothing is read and the event stays.
        Assert.Equal(0, Process.ReadFile(fd, new byte[7]));
        Assert.Equal(0, Process.ReadFile(fd, new byte[EventSize - 1]));
        var bytes = new byte[64];
        Assert.Equal(EventSize, Process.ReadFile(fd, bytes));
        var header = MemoryMarshal.Read<IommufdVeventHeader>(bytes);
        Assert.Equal((IommuVeventqFlags.None, 0u), (header.Flags, header.Sequence));
        Assert.Equal(0x42u, BitConverter.ToUInt32(bytes, 8));
        Assert.Equal(PollEvents.None, Process.Poll(fd));
        Assert.Equal(Errno.EINVAL.ToSyscallResult(), Process.WriteFile(fd, new byte[8]));

        // The queue holds its vIOMMU, and its fd holds the queue.
        Assert.Equal(Errno.EBUSY, File.Destroy(ViommuId));
        Assert.Equal(Errno.EBUSY, File.Destroy(queue));
        Assert.Equal(Errno.None, Process.Close(fd));
        Assert.Equal(Errno.None, File.Destroy(queue));
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, Ioas));
    }

    [Fact]
    public void A_full_queue_ends_with_one_lost_events_header_which_the_next_event_replaces()
    {
        Assert.Equal(Errno.None, VeventqAlloc(ViommuId, IommuVeventqType.Selftest, out var queue, out var fd));

        // Depth 2: the third and fourth reports are lost; one header says so, with the latest sequence.
        TriggerVevents(DeviceId, 4);
        var bytes = new byte[128];
        Assert.Equal((2 * EventSize) + 8, Process.ReadFile(fd, bytes));
        var lost = MemoryMarshal.Read<IommufdVeventHeader>(bytes.AsSpan(2 * EventSize));
        Assert.Equal((IommuVeventqFlags.LostEvents, 3u), (lost.Flags, lost.Sequence));

        // Full again: two events and a header carrying the third report's sequence number.
        TriggerVevents(DeviceId, 3);
        Array.Clear(bytes);
        Assert.Equal((2 * EventSize) + 8, Process.ReadFile(fd, bytes));
        Assert.Equal(4u, MemoryMarshal.Read<IommufdVeventHeader>(bytes).Sequence);
        Assert.Equal(5u, MemoryMarshal.Read<IommufdVeventHeader>(bytes.AsSpan(EventSize)).Sequence);
        Assert.Equal((IommuVeventqFlags.LostEvents, 6u), (MemoryMarshal.Read<IommufdVeventHeader>(bytes.AsSpan(2 * EventSize)).Flags, MemoryMarshal.Read<IommufdVeventHeader>(bytes.AsSpan(2 * EventSize)).Sequence));

        // A header at the end gives way to the next event once there is room: the sequence gap tells the loss.
        TriggerVevents(DeviceId, 3);
        Assert.Equal(EventSize, Process.ReadFile(fd, bytes.AsSpan(0, EventSize)));
        Assert.Equal(7u, MemoryMarshal.Read<IommufdVeventHeader>(bytes).Sequence);
        TriggerVevents(DeviceId, 1);
        Array.Clear(bytes);
        Assert.Equal(2 * EventSize, Process.ReadFile(fd, bytes));
        Assert.Equal((IommuVeventqFlags.None, 8u), (MemoryMarshal.Read<IommufdVeventHeader>(bytes).Flags, MemoryMarshal.Read<IommufdVeventHeader>(bytes).Sequence));
        Assert.Equal((IommuVeventqFlags.None, 10u), (MemoryMarshal.Read<IommufdVeventHeader>(bytes.AsSpan(EventSize)).Flags, MemoryMarshal.Read<IommufdVeventHeader>(bytes.AsSpan(EventSize)).Sequence));
        Assert.Equal(PollEvents.None, Process.Poll(fd));
        Assert.Equal(Errno.None, Process.Close(fd));
        Assert.Equal(Errno.None, File.Destroy(queue));
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, Ioas));
    }

    private Errno VeventqAllocDepth(uint depth)
        => File.VeventqAlloc(IommuVeventqAllocFlags.None, ViommuId, IommuVeventqType.Selftest, depth, out _, out _);
}
