using IommuContracts;
using IommuContracts.Uapi;

namespace IommuContracts.Generators.Tests.Behaviour;

/// <summary>The kernel's dispatch order: table range, size read, full-command match, ENOTTY.</summary>
public class CommandNumberTests
{
    private readonly DispatchHarness _harness = new();

    private ulong ValidDestroy => _harness.Place(DispatchHarness.Struct(8, 8));

    [Fact]
    public void A_command_below_the_table_that_nobody_handles_is_ENOTTY_without_reading_the_argument()
        => Assert.Equal(-(int)Errno.ENOTTY, _harness.Ioctl(0x3B7F, 0));

    [Fact]
    public void A_hole_in_the_table_reads_the_size_first_then_is_ENOTTY()
    {
        Assert.Equal(-(int)Errno.EFAULT, _harness.Ioctl(0x3B95, 0));
        Assert.Equal(-(int)Errno.ENOTTY, _harness.Ioctl(0x3B95, ValidDestroy));
        Assert.Equal(-(int)Errno.ENOTTY, _harness.Ioctl(0x3B9F, ValidDestroy));
    }

    [Fact]
    public void A_number_past_the_table_is_ENOTTY()
        => Assert.Equal(-(int)Errno.ENOTTY, _harness.Ioctl(0x3BA1, ValidDestroy));

    [Fact]
    public void The_right_number_with_another_encoding_is_ENOTTY()
    {
        // _IO(';', 0x80) as powerpc encodes it, and the same number under another magic.
        Assert.Equal(-(int)Errno.ENOTTY, _harness.Ioctl(0x20003B80, ValidDestroy));
        Assert.Equal(-(int)Errno.ENOTTY, _harness.Ioctl(0x1280, ValidDestroy));
        Assert.Equal(0, _harness.Dispatcher.Calls);
    }

    [Fact]
    public void Destroy_with_a_null_argument_is_EFAULT()
        => Assert.Equal(-(int)Errno.EFAULT, _harness.Ioctl(IommuDestroy.Command, 0));

    [Fact]
    public void Every_declared_command_reaches_its_own_handler()
    {
        foreach (var entry in Uapi.UapiTable.Commands)
        {
            var harness = new DispatchHarness();
            Assert.Equal(0, harness.Ioctl(entry.Command, harness.Place(DispatchHarness.Struct(entry.Size, (uint)entry.Size))));
            Assert.Equal(entry.Command, harness.Dispatcher.LastCommand);
        }
    }

    [Fact]
    public void Value_commands_pass_the_integer_and_return_the_handler_result()
    {
        _harness.Dispatcher.ValueResult = 1;
        Assert.Equal(1, _harness.Ioctl(VfioCheckExtension.Command, 3));
        Assert.Equal(3UL, _harness.Dispatcher.LastValue);
        _harness.Dispatcher.ValueResult = -(int)Errno.ENODEV;
        Assert.Equal(-(int)Errno.ENODEV, _harness.Ioctl(VfioSetIommu.Command, 1));
    }
}
