using System.Reflection;
using System.Runtime.InteropServices;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Generators.Tests.Uapi;

/// <summary>Every uapi struct's size, field offsets, command number and minimum size match the kernel's.</summary>
public class UapiLayoutTests
{
    public static TheoryData<string> CommandNames() => new(UapiTable.Commands.Select(c => c.Type.Name));

    public static TheoryData<string> DataNames() => new(UapiTable.DataStructs.Select(c => c.Type.Name));

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void Command_struct_matches_the_kernel_layout(string name)
    {
        var entry = UapiTable.Commands.Single(c => c.Type.Name == name);
        Assert.Equal(entry.Size, Marshal.SizeOf(entry.Type));
        Assert.Equal(entry.Size, SizeOfUnmanaged(entry.Type));
        AssertOffsets(entry.Type, entry.Fields);

        var layout = LayoutOf(entry.Type);
        Assert.Equal(entry.Command, layout.Command);
        Assert.Equal(entry.Size, layout.NativeSize);
        Assert.Equal(entry.MinimumSize, layout.MinimumSize);
        Assert.Equal(entry.Command, (uint)entry.Type.GetField("Command")!.GetRawConstantValue()!);
        Assert.Equal(entry.Size, (int)entry.Type.GetField("NativeSize")!.GetRawConstantValue()!);
        Assert.Equal(entry.MinimumSize, (int)entry.Type.GetField("MinimumSize")!.GetRawConstantValue()!);
    }

    [Theory]
    [MemberData(nameof(DataNames))]
    public void Data_struct_matches_the_kernel_layout(string name)
    {
        var entry = UapiTable.DataStructs.Single(c => c.Type.Name == name);
        Assert.Equal(entry.Size, SizeOfUnmanaged(entry.Type));
        AssertOffsets(entry.Type, entry.Fields);
    }

    [Fact]
    public void Value_commands_have_the_vfio_container_numbers()
    {
        foreach (var (type, command) in UapiTable.ValueCommands)
        {
            Assert.Equal(command, LayoutOf(type).Command);
        }
    }

    [Fact]
    public void The_table_covers_every_declared_command()
    {
        var declared = typeof(IommuIoasMap).Assembly.GetTypes()
            .Where(t => t.IsValueType && t.GetInterfaces().Contains(typeof(IIoctlCommand)))
            .Select(t => t.Name)
            .OrderBy(n => n, StringComparer.Ordinal);
        var listed = UapiTable.Commands.Select(c => c.Type.Name)
            .Concat(UapiTable.ValueCommands.Select(c => c.Type.Name))
            .OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(listed, declared);
    }

    [Fact]
    public void Every_iommufd_ioctl_from_0x80_to_0x94_and_the_test_cmd_is_declared()
    {
        var numbers = UapiTable.Commands.Where(c => c.Command is >= 0x3B80 and <= 0x3BA0).Select(c => c.Command & 0xFF).ToHashSet();
        for (uint nr = 0x80; nr <= 0x94; nr++)
        {
            Assert.Contains(nr, numbers);
        }

        Assert.Contains(0xA0u, numbers);
    }

    [Fact]
    public void Test_ops_are_numbered_as_in_the_newest_iommufd_test_h()
    {
        // The enum of the newest header, in order from IOMMU_TEST_OP_ADD_RESERVED = 1.
        string[] header =
        [
            "ADD_RESERVED", "MOCK_DOMAIN", "MD_CHECK_MAP", "MD_CHECK_REFS", "CREATE_ACCESS", "DESTROY_ACCESS_PAGES",
            "ACCESS_PAGES", "ACCESS_RW", "SET_TEMP_MEMORY_LIMIT", "MOCK_DOMAIN_REPLACE", "ACCESS_REPLACE_IOAS",
            "MOCK_DOMAIN_FLAGS", "DIRTY", "MD_CHECK_IOTLB", "TRIGGER_IOPF", "DEV_CHECK_CACHE", "TRIGGER_VEVENT",
            "PASID_ATTACH", "PASID_REPLACE", "PASID_DETACH", "PASID_CHECK_HWPT", "DMABUF_GET", "DMABUF_REVOKE",
        ];
        var declared = Enum.GetValues<IommuTestOp>();
        Assert.Equal(header.Length, declared.Length);
        for (var i = 0; i < header.Length; i++)
        {
            var name = string.Concat(header[i].Split('_').Select(w => w[0] + w[1..].ToLowerInvariant()));
            Assert.Equal((uint)(i + 1), (uint)Enum.Parse<IommuTestOp>(name));
        }
    }

    private static void AssertOffsets(Type type, (string Field, int Offset)[] fields)
    {
        var declared = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Select(f => f.Name).ToHashSet();
        foreach (var (field, offset) in fields)
        {
            Assert.True(declared.Contains(field), $"{type.Name} has no field {field}");
            Assert.Equal(offset, (int)Marshal.OffsetOf(type, field));
        }

        if (!type.IsExplicitLayout)
        {
            // Sequential structs: the table lists every field.
            Assert.Equal(fields.Length, declared.Count);
        }
    }

    private static int SizeOfUnmanaged(Type type)
        => (int)typeof(System.Runtime.CompilerServices.Unsafe).GetMethod("SizeOf")!.MakeGenericMethod(type).Invoke(null, null)!;

    private static IoctlLayout LayoutOf(Type type)
        => (IoctlLayout)type.GetProperty("Layout", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
}
