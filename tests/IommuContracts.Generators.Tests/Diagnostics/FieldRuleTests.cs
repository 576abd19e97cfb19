using IommuContracts.Generators.Tests.Support;

namespace IommuContracts.Generators.Tests.Diagnostics;

/// <summary>
/// Field-level rules of an [IoctlCommand] struct: blittable fields, [Reserved], [CheckedFlags] and
/// [RequiredWithFlag]. Each is reported on the field itself.
/// </summary>
public class FieldRuleTests
{
    private const string Usings = """
        using IommuContracts;
        using IommuContracts.Contracts;
        using IommuContracts.Uapi;
        using System.Runtime.InteropServices;

        """;

    private const string Types = """
        public struct IovaRange
        {
            public ulong Start;
            public ulong Last;
        }

        public struct Named
        {
            public ulong Start;
            public string Name;
        }

        public struct Nothing
        {
        }

        [System.Flags]
        public enum MapFlags : uint
        {
            None = 0,
            FixedIova = 1 << 0,
            Writeable = 1 << 1,
            Readable = 1 << 2,
        }

        [System.Flags]
        public enum ByteFlags : byte
        {
            None = 0,
            A = 1,
        }

        [System.Flags]
        public enum WideFlags : ulong
        {
            None = 0,
            High = 1UL << 40,
        }

        [System.Flags]
        public enum SignedFlags
        {
            None = 0,
            A = 1,
        }

        public enum PlainKinds : uint
        {
            None = 0,
            A = 1,
            B = 2,
        }

        """;

    // IOMMUGEN003: blittable fields only

    [Theory]
    [InlineData("string")]
    [InlineData("object")]
    [InlineData("bool")]
    [InlineData("char")]
    [InlineData("decimal")]
    [InlineData("nint")]
    [InlineData("nuint")]
    [InlineData("System.ValueTuple<uint, uint>")]
    [InlineData("Named")]
    [InlineData("Nothing")]
    [InlineData("IovaRange[]")]
    [InlineData("uint?")]
    public Task IOMMUGEN003_field_without_a_fixed_c_layout(string type) => DeclarationVerifier.VerifyAsync(Usings + Types + $$"""
        [IoctlCommand(0x3B, 0x80)]
        public partial struct Probe
        {
            [SizeField] public uint Size;
            public uint Flags;
            public {{type}} {|IOMMUGEN003:Value|};
        }
        """);

    [Fact]
    public Task IOMMUGEN003_each_non_blittable_field_is_reported() => DeclarationVerifier.VerifyAsync(Usings + Types + """
        [IoctlCommand(0x3B, 0x80)]
        public partial struct Probe
        {
            [SizeField] public uint Size;
            public string {|IOMMUGEN003:Name|}, {|IOMMUGEN003:Path|};
            public ulong UserVa;
            public object {|IOMMUGEN003:Owner|};
        }
        """);

    [Theory]
    [InlineData("byte")]
    [InlineData("sbyte")]
    [InlineData("short")]
    [InlineData("ushort")]
    [InlineData("int")]
    [InlineData("uint")]
    [InlineData("long")]
    [InlineData("ulong")]
    [InlineData("float")]
    [InlineData("double")]
    [InlineData("MapFlags")]
    [InlineData("PlainKinds")]
    [InlineData("IoasId")]
    [InlineData("ObjectId")]
    [InlineData("IovaRange")]
    public Task IOMMUGEN003_is_silent_for_a_blittable_field(string type) => DeclarationVerifier.VerifyAsync(Usings + Types + $$"""
        [IoctlCommand(0x3B, 0x80)]
        public partial struct Probe
        {
            [SizeField] public uint Size;
            public uint Flags;
            public {{type}} Value;
        }
        """);

    // IOMMUGEN009: [Reserved] fields are integers

    [Theory]
    [InlineData("PlainKinds")]
    [InlineData("MapFlags")]
    [InlineData("IoasId")]
    [InlineData("IovaRange")]
    [InlineData("float")]
    [InlineData("double")]
    public Task IOMMUGEN009_reserved_field_that_is_not_an_integer(string type) => DeclarationVerifier.VerifyAsync(Usings + Types + $$"""
        [IoctlCommand(0x3B, 0x80)]
        public partial struct Probe
        {
            [SizeField] public uint Size;
            public uint Flags;
            [Reserved] public {{type}} {|IOMMUGEN009:Reserved|};
        }
        """);

    [Fact]
    public Task IOMMUGEN009_unenforced_reserved_field_must_still_be_an_integer() => DeclarationVerifier.VerifyAsync(Usings + Types + """
        [IoctlCommand(0x3B, 0x80)]
        public partial struct Probe
        {
            [SizeField] public uint Size;
            public uint Flags;
            [Reserved(Enforced = false)] public IoasId {|IOMMUGEN009:Reserved|};
        }
        """);

    [Theory]
    [InlineData("[Reserved] public byte")]
    [InlineData("[Reserved] public ushort")]
    [InlineData("[Reserved] public uint")]
    [InlineData("[Reserved] public int")]
    [InlineData("[Reserved] public ulong")]
    [InlineData("[Reserved(Enforced = false)] public uint")]
    [InlineData("[Reserved(Enforced = true)] public ulong")]
    public Task IOMMUGEN009_is_silent_for_an_integer_reserved_field(string declaration) => DeclarationVerifier.VerifyAsync(Usings + Types + $$"""
        [IoctlCommand(0x3B, 0x80)]
        public partial struct Probe
        {
            [SizeField] public uint Size;
            public uint Flags;
            {{declaration}} Reserved;
        }
        """);

    // IOMMUGEN010: [CheckedFlags] fields are unsigned [Flags] enums

    [Theory]
    [InlineData("uint")]
    [InlineData("ulong")]
    [InlineData("PlainKinds")]
    [InlineData("SignedFlags")]
    [InlineData("IoasId")]
    public Task IOMMUGEN010_checked_flags_field_of_the_wrong_type(string type) => DeclarationVerifier.VerifyAsync(Usings + Types + $$"""
        [IoctlCommand(0x3B, 0x85)]
        public partial struct Map
        {
            [SizeField] public uint Size;
            [CheckedFlags] public {{type}} {|IOMMUGEN010:Flags|};
            public ulong UserVa;
        }
        """);

    [Theory]
    [InlineData("MapFlags")]
    [InlineData("ByteFlags")]
    [InlineData("WideFlags")]
    [InlineData("IommuIoasMapFlags")]
    public Task IOMMUGEN010_is_silent_for_an_unsigned_flags_enum(string type) => DeclarationVerifier.VerifyAsync(Usings + Types + $$"""
        [IoctlCommand(0x3B, 0x85)]
        public partial struct Map
        {
            [SizeField] public uint Size;
            [CheckedFlags] public {{type}} Flags;
            public ulong UserVa;
        }
        """);

    [Fact]
    public Task IOMMUGEN010_is_silent_for_a_plain_integer_flags_field_without_the_attribute() => DeclarationVerifier.VerifyAsync(Usings + Types + """
        [IoctlCommand(0x3B, 0x85)]
        public partial struct Map
        {
            [SizeField] public uint Size;
            public uint Flags;
            public ulong UserVa;
        }
        """);

    // IOMMUGEN014: [RequiredWithFlag] needs VFIO's minimum-and-tails copy-in and a [CheckedFlags] field declaring the bit

    private const string AttachFlags = """
        [System.Flags]
        public enum AttachFlags : uint
        {
            None = 0,
            Pasid = 1 << 0,
        }

        """;

    private static string Attach(string command, string flagsField, string gatedField) => Usings + AttachFlags + $$"""
        [IoctlCommand(0x3B, 119, {{command}})]
        public partial struct AttachPt
        {
            [SizeField] public uint ArgSz;
            {{flagsField}}
            [InOut, LastMandatory] public uint PtId;
            {{gatedField}}
        }
        """;

    [Fact]
    public Task IOMMUGEN014_vfio_struct_without_a_checked_flags_field() => DeclarationVerifier.VerifyAsync(Attach(
        "Convention = IoctlConvention.Vfio",
        "public AttachFlags Flags;",
        "[RequiredWithFlag(1)] public uint {|IOMMUGEN014:Pasid|};"));

    [Fact]
    public Task IOMMUGEN014_flag_not_declared_by_the_checked_flags_enum() => DeclarationVerifier.VerifyAsync(Attach(
        "Convention = IoctlConvention.Vfio",
        "[CheckedFlags] public AttachFlags Flags;",
        "[RequiredWithFlag(2)] public uint {|IOMMUGEN014:Pasid|};"));

    [Fact]
    public Task IOMMUGEN014_flag_partly_declared_by_the_checked_flags_enum() => DeclarationVerifier.VerifyAsync(Attach(
        "Convention = IoctlConvention.Vfio",
        "[CheckedFlags] public AttachFlags Flags;",
        "[RequiredWithFlag(3)] public uint {|IOMMUGEN014:Pasid|};"));

    [Fact]
    public Task IOMMUGEN014_zero_flag() => DeclarationVerifier.VerifyAsync(Attach(
        "Convention = IoctlConvention.Vfio",
        "[CheckedFlags] public AttachFlags Flags;",
        "[RequiredWithFlag(0)] public uint {|IOMMUGEN014:Pasid|};"));

    [Fact]
    public Task IOMMUGEN014_iommufd_convention_copies_the_whole_struct() => DeclarationVerifier.VerifyAsync(Attach(
        "Convention = IoctlConvention.Iommufd",
        "[CheckedFlags] public AttachFlags Flags;",
        "[RequiredWithFlag((ulong)AttachFlags.Pasid)] public uint {|IOMMUGEN014:Pasid|};"));

    [Fact]
    public Task IOMMUGEN014_vfio_struct_that_opts_into_whole_struct_copy_in() => DeclarationVerifier.VerifyAsync(Attach(
        "Convention = IoctlConvention.Vfio, CopyIn = IoctlCopyIn.CopyStruct",
        "[CheckedFlags] public AttachFlags Flags;",
        "[RequiredWithFlag((ulong)AttachFlags.Pasid)] public uint {|IOMMUGEN014:Pasid|};"));

    [Fact]
    public Task IOMMUGEN014_is_silent_for_a_vfio_tail_gated_by_a_declared_flag() => DeclarationVerifier.VerifyAsync(Attach(
        "Convention = IoctlConvention.Vfio",
        "[CheckedFlags] public AttachFlags Flags;",
        "[RequiredWithFlag((ulong)AttachFlags.Pasid)] public uint Pasid;"));

    [Fact]
    public Task IOMMUGEN014_is_silent_for_an_iommufd_struct_that_opts_into_minimum_and_tails() => DeclarationVerifier.VerifyAsync(Attach(
        "CopyIn = IoctlCopyIn.MinimumAndFlagTails",
        "[CheckedFlags] public AttachFlags Flags;",
        "[RequiredWithFlag((ulong)AttachFlags.Pasid)] public uint Pasid;"));

    // IOMMUGEN021: the output type of an in/out field

    [Theory]
    [InlineData("PageTableId", "DeviceId")]
    [InlineData("PageTableId", "PageTableId")]
    [InlineData("PageTableId", "uint")]
    [InlineData("IoasId", "HwptId")]
    [InlineData("ulong", "HwptId")]
    public Task IOMMUGEN021_output_type_the_field_cannot_hold(string field, string output) => DeclarationVerifier.VerifyAsync(Usings + Types + $$"""
        [IoctlCommand(0x3B, 0x80, Convention = IoctlConvention.Vfio)]
        public partial struct Probe
        {
            [SizeField] public uint ArgSz;
            [InOut(OutputType = typeof({{output}})), LastMandatory] public {{field}} {|IOMMUGEN021:PtId|};
        }
        """);

    [Theory]
    [InlineData("PageTableId", "HwptId")]
    [InlineData("PageTableId", "IoasId")]
    [InlineData("ObjectId", "HwptId")]
    [InlineData("HwptId", "HwptId")]
    public Task IOMMUGEN021_is_silent_for_an_output_type_the_field_can_hold(string field, string output) => DeclarationVerifier.VerifyAsync(Usings + Types + $$"""
        [IoctlCommand(0x3B, 0x80, Convention = IoctlConvention.Vfio)]
        public partial struct Probe
        {
            [SizeField] public uint ArgSz;
            [InOut(OutputType = typeof({{output}})), LastMandatory] public {{field}} PtId;
        }
        """);
}
