using IommuContracts;
using IommuContracts.Generators.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Generators.Tests.Behaviour;

/// <summary>What is copied back to user memory, and when.</summary>
public class ResponseTests
{
    private readonly DispatchHarness _harness = new();

    private static byte[] AllBytes(byte value, byte[] bytes) => Enumerable.Repeat(value, bytes.Length).ToArray();

    [Fact]
    public void Success_copies_the_whole_struct_back_up_to_the_user_size()
    {
        _harness.Dispatcher.Rewrite = b => AllBytes(0xAB, b);
        var bytes = DispatchHarness.Struct(40, 40);
        var address = _harness.Place(bytes);

        Assert.Equal(0, _harness.Ioctl(IommuIoasMap.Command, address));
        Assert.All(_harness.Memory.Read(address, 40), b => Assert.Equal(0xAB, b));
    }

    [Fact]
    public void A_shorter_user_struct_gets_only_its_own_bytes_back()
    {
        _harness.Dispatcher.Rewrite = b => AllBytes(0xAB, b);
        var bytes = DispatchHarness.Struct(48, 24);
        bytes.AsSpan(24).Fill(0x11);
        var address = _harness.Place(bytes);

        Assert.Equal(0, _harness.Ioctl(IommuHwptAlloc.Command, address));
        var after = _harness.Memory.Read(address, 48);
        Assert.All(after[..24], b => Assert.Equal(0xAB, b));
        Assert.All(after[24..], b => Assert.Equal(0x11, b));
    }

    [Fact]
    public void A_handler_may_return_a_positive_value_on_success_but_not_on_failure()
    {
        _harness.Dispatcher.StructReturnValue = 7;
        var address = _harness.Place(DispatchHarness.Struct(IommuTestCmd.NativeSize, IommuTestCmd.NativeSize));
        Assert.Equal(7, _harness.Ioctl(IommuTestCmd.Command, address));

        _harness.Dispatcher.Result = Errno.EINVAL;
        Assert.Equal(Errno.EINVAL.ToSyscallResult(), _harness.Ioctl(IommuTestCmd.Command, address));
    }

    [Fact]
    public void Failure_copies_nothing_back()
    {
        _harness.Dispatcher.Rewrite = b => AllBytes(0xAB, b);
        _harness.Dispatcher.Result = Errno.ENOENT;
        var bytes = DispatchHarness.Struct(40, 40);
        var address = _harness.Place(bytes);

        Assert.Equal(-(int)Errno.ENOENT, _harness.Ioctl(IommuIoasMap.Command, address));
        Assert.Equal(bytes, _harness.Memory.Read(address, 40));
    }

    [Fact]
    public void Option_copies_back_only_val64()
    {
        _harness.Dispatcher.Rewrite = b => AllBytes(0xAB, b);
        var bytes = DispatchHarness.Struct(24, 24);
        var address = _harness.Place(bytes);

        Assert.Equal(0, _harness.Ioctl(IommuOption.Command, address));
        var after = _harness.Memory.Read(address, 24);
        Assert.Equal(bytes[..16], after[..16]);
        Assert.All(after[16..], b => Assert.Equal(0xAB, b));
    }

    [Fact]
    public void Invalidate_reports_entry_num_even_when_the_handler_fails()
    {
        _harness.Dispatcher.Result = Errno.EINVAL;
        _harness.Dispatcher.Rewrite = b =>
        {
            StructBytes.Poke(b, 24, 4, 1);
            return b;
        };
        var bytes = DispatchHarness.Struct(32, 32);
        StructBytes.Poke(bytes, 24, 4, 2);
        var address = _harness.Place(bytes);

        Assert.Equal(-(int)Errno.EINVAL, _harness.Ioctl(IommuHwptInvalidate.Command, address));
        Assert.Equal(1UL, StructBytes.Peek(_harness.Memory.Read(address, 32), 24, 4));
    }

    [Fact]
    public void Invalidate_rejected_before_its_handler_reports_zero_entries_handled()
    {
        var bytes = DispatchHarness.Struct(32, 32);
        StructBytes.Poke(bytes, 24, 4, 5);
        StructBytes.Poke(bytes, 28, 4, 1);
        var address = _harness.Place(bytes);

        Assert.Equal(-(int)Errno.EOPNOTSUPP, _harness.Ioctl(IommuHwptInvalidate.Command, address));
        Assert.Equal(0, _harness.Dispatcher.Calls);
        Assert.Equal(0UL, StructBytes.Peek(_harness.Memory.Read(address, 32), 24, 4));
    }

    [Fact]
    public void A_handler_may_respond_itself_and_then_fail()
    {
        _harness.Dispatcher.RespondThenFail = Errno.EMSGSIZE;
        _harness.Dispatcher.Rewrite = b =>
        {
            StructBytes.Poke(b, 8, 4, 3);
            return b;
        };
        var address = _harness.Place(DispatchHarness.Struct(32, 32));

        Assert.Equal(-(int)Errno.EMSGSIZE, _harness.Ioctl(IommuIoasIovaRanges.Command, address));
        Assert.Equal(3UL, StructBytes.Peek(_harness.Memory.Read(address, 32), 8, 4));
    }

    [Fact]
    public void A_response_that_cannot_be_written_is_EFAULT()
    {
        var address = _harness.Place(DispatchHarness.Struct(40, 40));
        _harness.Memory.MakeReadOnly(address);

        Assert.Equal(-(int)Errno.EFAULT, _harness.Ioctl(IommuIoasMap.Command, address));
        Assert.Equal(1, _harness.Dispatcher.Calls);
    }

    [Fact]
    public void Vfio_copies_back_only_its_output_fields()
    {
        _harness.Dispatcher.Rewrite = b => AllBytes(0xAB, b);
        var attach = DispatchHarness.Struct(16, 16);
        var address = _harness.Place(attach);
        Assert.Equal(0, _harness.Ioctl(VfioDeviceAttachIommufdPt.Command, address));
        var after = _harness.Memory.Read(address, 16);
        Assert.Equal(attach[..8], after[..8]);
        Assert.All(after[8..12], b => Assert.Equal(0xAB, b));
        Assert.Equal(attach[12..], after[12..]);

        var bind = DispatchHarness.Struct(24, 24);
        var bindAddress = _harness.Place(bind);
        Assert.Equal(0, _harness.Ioctl(VfioDeviceBindIommufd.Command, bindAddress));
        var bound = _harness.Memory.Read(bindAddress, 24);
        Assert.Equal(bind[..12], bound[..12]);
        Assert.All(bound[12..16], b => Assert.Equal(0xAB, b));
        Assert.Equal(bind[16..], bound[16..]);
    }

    [Fact]
    public void Vfio_map_dma_copies_nothing_back()
    {
        _harness.Dispatcher.Rewrite = b => AllBytes(0xAB, b);
        var bytes = DispatchHarness.Struct(32, 32);
        var address = _harness.Place(bytes);

        Assert.Equal(0, _harness.Ioctl(VfioIommuType1DmaMap.Command, address));
        Assert.Equal(bytes, _harness.Memory.Read(address, 32));
    }
}
