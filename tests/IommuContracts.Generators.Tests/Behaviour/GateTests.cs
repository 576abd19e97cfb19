using IommuContracts;
using IommuContracts.Generators.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Generators.Tests.Behaviour;

/// <summary>A dispatcher's gate runs before anything else (VFIO: every ioctl but BIND is EINVAL until bound).</summary>
public class GateTests
{
    [Fact]
    public void Before_bind_everything_but_bind_is_EINVAL_even_unknown_commands()
    {
        var memory = new TestUserMemory();
        var device = new GatedDispatcher();
        var detach = memory.Map(4096);
        memory.Write(detach, DispatchHarness.Struct(12, 12));

        Assert.Equal(-(int)Errno.EINVAL, device.Dispatch(memory, VfioDeviceDetachIommufdPt.Command, detach));
        Assert.Equal(-(int)Errno.EINVAL, device.Dispatch(memory, 0x3B7E, 0));

        var bind = memory.Map(4096);
        memory.Write(bind, DispatchHarness.Struct(24, 24));
        Assert.Equal(0, device.Dispatch(memory, VfioDeviceBindIommufd.Command, bind));
        Assert.Equal(7UL, StructBytes.Peek(memory.Read(bind, 24), 12, 4));

        Assert.Equal(0, device.Dispatch(memory, VfioDeviceDetachIommufdPt.Command, detach));
        Assert.Equal(-(int)Errno.ENOTTY, device.Dispatch(memory, 0x3B7E, 0));
    }
}
