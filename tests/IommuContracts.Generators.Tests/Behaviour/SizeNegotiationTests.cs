using System.Runtime.InteropServices;
using IommuContracts;
using IommuContracts.Contracts;
using IommuContracts.Generators.Tests.Support;
using IommuContracts.Generators.Tests.Uapi;
using IommuContracts.Uapi;

namespace IommuContracts.Generators.Tests.Behaviour;

/// <summary>
/// The kernel selftest cmd_length rule and the generic field checks, run for real through a generated
/// dispatcher for every command of the uapi model.
/// </summary>
public class SizeNegotiationTests
{
    public static TheoryData<string> CopyStructCommands() => new(UapiTable.Commands
        .Where(c => Layout(c.Type).CopyIn == IoctlCopyIn.CopyStruct)
        .Select(c => c.Type.Name));

    public static TheoryData<string> MinimumCopyInCommands() => new(UapiTable.Commands
        .Where(c => Layout(c.Type).CopyIn == IoctlCopyIn.MinimumAndFlagTails)
        .Select(c => c.Type.Name));

    public static TheoryData<string> CommandsWithReserved() => new(UapiTable.Commands
        .Where(c => StructBytes.EnforcedReservedFields(c.Type).Any())
        .Select(c => c.Type.Name));

    public static TheoryData<string> CommandsWithFlags() => new(UapiTable.Commands
        .Where(c => StructBytes.FieldsWith<CheckedFlagsAttribute>(c.Type).Any())
        .Select(c => c.Type.Name));

    [Theory]
    [MemberData(nameof(CopyStructCommands))]
    public void Size_one_below_the_minimum_is_EINVAL(string name)
    {
        var entry = Entry(name);
        var harness = new DispatchHarness();
        var address = harness.Place(DispatchHarness.Struct(entry.Size, (uint)entry.MinimumSize - 1));

        Assert.Equal(-(int)Errno.EINVAL, harness.Ioctl(entry.Command, address));
        Assert.Equal(0, harness.Dispatcher.Calls);
    }

    [Theory]
    [MemberData(nameof(CopyStructCommands))]
    public void A_non_zero_byte_past_sizeof_is_E2BIG(string name)
    {
        var entry = Entry(name);
        var harness = new DispatchHarness();
        var bytes = DispatchHarness.Struct(entry.Size + 1, (uint)entry.Size + 1);
        bytes[^1] = 0xFF;

        Assert.Equal(-(int)Errno.E2BIG, harness.Ioctl(entry.Command, harness.Place(bytes)));
        Assert.Equal(0, harness.Dispatcher.Calls);
    }

    [Theory]
    [MemberData(nameof(CopyStructCommands))]
    public void A_zero_byte_past_sizeof_behaves_exactly_like_sizeof(string name)
    {
        var entry = Entry(name);
        foreach (var result in new[] { Errno.None, Errno.ENOENT })
        {
            var exact = new DispatchHarness { Dispatcher = { Result = result } };
            var longer = new DispatchHarness { Dispatcher = { Result = result } };

            var exactRc = exact.Ioctl(entry.Command, exact.Place(DispatchHarness.Struct(entry.Size, (uint)entry.Size)));
            var longerRc = longer.Ioctl(entry.Command, longer.Place(DispatchHarness.Struct(entry.Size + 1, (uint)entry.Size + 1)));

            Assert.Equal(result.ToSyscallResult(), exactRc);
            Assert.Equal(exactRc, longerRc);
            Assert.Equal(1, exact.Dispatcher.Calls);
            Assert.Equal(1, longer.Dispatcher.Calls);
            Assert.Equal(exact.Dispatcher.LastArgument![4..], longer.Dispatcher.LastArgument![4..]);
        }
    }

    [Theory]
    [MemberData(nameof(CopyStructCommands))]
    public void A_short_struct_is_zero_filled_past_its_size(string name)
    {
        var entry = Entry(name);
        if (entry.MinimumSize == entry.Size)
        {
            return;
        }

        var harness = new DispatchHarness();
        var bytes = DispatchHarness.Struct(entry.Size, (uint)entry.MinimumSize);
        bytes.AsSpan(entry.MinimumSize).Fill(0xEE);

        Assert.Equal(0, harness.Ioctl(entry.Command, harness.Place(bytes)));
        Assert.All(harness.Dispatcher.LastArgument![entry.MinimumSize..], b => Assert.Equal(0, b));
    }

    [Theory]
    [MemberData(nameof(CopyStructCommands))]
    public void An_unreadable_argument_is_EFAULT(string name)
    {
        var entry = Entry(name);
        var harness = new DispatchHarness();

        Assert.Equal(-(int)Errno.EFAULT, harness.Ioctl(entry.Command, 0));

        // A struct that claims more bytes than are mapped faults too.
        var partial = harness.Place(DispatchHarness.Struct(entry.Size, (uint)entry.Size + 64));
        Assert.Equal(-(int)Errno.EFAULT, harness.Ioctl(entry.Command, partial));
        Assert.Equal(0, harness.Dispatcher.Calls);
    }

    [Theory]
    [MemberData(nameof(MinimumCopyInCommands))]
    public void Vfio_argsz_below_the_minimum_is_EINVAL_and_bytes_past_it_are_ignored(string name)
    {
        var entry = Entry(name);
        var harness = new DispatchHarness();
        Assert.Equal(-(int)Errno.EINVAL, harness.Ioctl(entry.Command, harness.Place(DispatchHarness.Struct(entry.Size, (uint)entry.MinimumSize - 1))));
        Assert.Equal(0, harness.Dispatcher.Calls);

        // VFIO reads only the minimum: a huge argsz over unmapped memory and garbage past it are fine.
        var bytes = DispatchHarness.Struct(entry.MinimumSize, 0x10000);
        Assert.Equal(0, harness.Ioctl(entry.Command, harness.Place(bytes)));
        Assert.Equal(1, harness.Dispatcher.Calls);
        Assert.Equal(0x10000u, BitConverter.ToUInt32(harness.Dispatcher.LastArgument!, 0));
        Assert.Equal(-(int)Errno.EFAULT, harness.Ioctl(entry.Command, 0));
    }

    [Theory]
    [MemberData(nameof(CommandsWithReserved))]
    public void A_non_zero_reserved_field_is_rejected_before_the_handler(string name)
    {
        var entry = Entry(name);
        var expected = Layout(entry.Type).Convention == IoctlConvention.Iommufd ? Errno.EOPNOTSUPP : Errno.EINVAL;
        foreach (var field in StructBytes.EnforcedReservedFields(entry.Type))
        {
            var harness = new DispatchHarness();
            var bytes = DispatchHarness.Struct(entry.Size, (uint)entry.Size);
            StructBytes.Poke(bytes, StructBytes.Offset(entry.Type, field.Name), StructBytes.FieldSize(entry.Type, field.Name), 1);

            Assert.Equal(expected.ToSyscallResult(), harness.Ioctl(entry.Command, harness.Place(bytes)));
            Assert.Equal(0, harness.Dispatcher.Calls);
        }
    }

    [Theory]
    [MemberData(nameof(CommandsWithFlags))]
    public void Unknown_flag_bits_are_rejected_and_known_ones_accepted(string name)
    {
        var entry = Entry(name);
        var expected = Layout(entry.Type).Convention == IoctlConvention.Iommufd ? Errno.EOPNOTSUPP : Errno.EINVAL;
        var field = StructBytes.FieldsWith<CheckedFlagsAttribute>(entry.Type).Single();
        var offset = StructBytes.Offset(entry.Type, field.Name);
        var size = StructBytes.FieldSize(entry.Type, field.Name);
        var unknown = StructBytes.UnknownFlagBits(field);
        Assert.NotEqual(0UL, unknown);

        for (var bit = 0; bit < size * 8; bit++)
        {
            var flag = 1UL << bit;
            var harness = new DispatchHarness();
            var bytes = DispatchHarness.Struct(entry.Size, (uint)entry.Size);
            StructBytes.Poke(bytes, offset, size, flag);
            var rc = harness.Ioctl(entry.Command, harness.Place(bytes));
            if ((unknown & flag) != 0)
            {
                Assert.Equal(expected.ToSyscallResult(), rc);
                Assert.Equal(0, harness.Dispatcher.Calls);
            }
            else
            {
                Assert.Equal(0, rc);
                Assert.Equal(flag, StructBytes.Peek(harness.Dispatcher.LastArgument!, offset, size));
            }
        }
    }

    [Fact]
    public void Vfio_flag_gated_tail_is_read_only_when_its_flag_is_set()
    {
        var harness = new DispatchHarness();

        // ATTACH without PASID: only the 12-byte minimum is read, so it may end the mapping.
        var plain = DispatchHarness.Struct(12, 16);
        Assert.Equal(0, harness.Ioctl(VfioDeviceAttachIommufdPt.Command, harness.Place(plain)));

        // With PASID, argsz must reach the end of pasid ...
        var shortWithPasid = DispatchHarness.Struct(16, 12);
        StructBytes.Poke(shortWithPasid, 4, 4, (ulong)VfioDeviceAttachFlags.Pasid);
        Assert.Equal(-(int)Errno.EINVAL, harness.Ioctl(VfioDeviceAttachIommufdPt.Command, harness.Place(shortWithPasid)));

        // ... and the tail must be readable ...
        var unreadableTail = DispatchHarness.Struct(12, 16);
        StructBytes.Poke(unreadableTail, 4, 4, (ulong)VfioDeviceAttachFlags.Pasid);
        Assert.Equal(-(int)Errno.EFAULT, harness.Ioctl(VfioDeviceAttachIommufdPt.Command, harness.Place(unreadableTail)));

        // ... and then it reaches the handler.
        var full = DispatchHarness.Struct(16, 16);
        StructBytes.Poke(full, 4, 4, (ulong)VfioDeviceAttachFlags.Pasid);
        StructBytes.Poke(full, 12, 4, 0x1234);
        Assert.Equal(0, harness.Ioctl(VfioDeviceAttachIommufdPt.Command, harness.Place(full)));
        Assert.Equal(0x1234UL, StructBytes.Peek(harness.Dispatcher.LastArgument!, 12, 4));
        Assert.Equal(2, harness.Dispatcher.Calls);
    }

    private static UapiTable.Entry Entry(string name) => UapiTable.Commands.Single(c => c.Type.Name == name);

    private static IommuContracts.Ioctl.IoctlLayout Layout(Type type)
        => (IommuContracts.Ioctl.IoctlLayout)type.GetProperty("Layout")!.GetValue(null)!;
}
