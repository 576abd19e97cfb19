using IommuContracts.Generators.Tests.Support;

namespace IommuContracts.Generators.Tests.Diagnostics;

/// <summary>
/// Struct-level rules of an [IoctlCommand] declaration: partial, layout, size field, minimum size, nesting,
/// value commands and stub names. Each rule has a flagged case (exact span) and a near miss that stays silent.
/// </summary>
public class StructRuleTests
{
    private const string Usings = """
        using IommuContracts;
        using IommuContracts.Contracts;
        using System.Runtime.InteropServices;

        """;

    // IOMMUGEN001: partial

    [Fact]
    public Task IOMMUGEN001_struct_not_partial() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x80)]
        public struct {|IOMMUGEN001:Destroy|}
        {
            [SizeField] public uint Size;
            [LastMandatory] public uint Id;
        }
        """);

    [Fact]
    public Task IOMMUGEN001_is_silent_for_a_partial_struct() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x80)]
        public partial struct Destroy
        {
            [SizeField] public uint Size;
            [LastMandatory] public uint Id;
        }
        """);

    [Fact]
    public Task IOMMUGEN001_is_silent_for_a_struct_split_over_two_partial_parts() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x80)]
        public partial struct Destroy
        {
            [SizeField] public uint Size;
            [LastMandatory] public uint Id;
        }

        public partial struct Destroy
        {
            public static uint Describe() => 0x3B80;
        }
        """);

    [Fact]
    public Task IOMMUGEN001_is_not_reported_for_a_plain_struct_without_the_attribute() => DeclarationVerifier.VerifyAsync(Usings + """
        public struct Destroy
        {
            public uint Size;
            public uint Id;
        }
        """);

    // IOMMUGEN002: sequential layout without Pack or Size

    [Theory]
    [InlineData("[StructLayout(LayoutKind.Auto)]")]
    [InlineData("[StructLayout(LayoutKind.Sequential, Pack = 1)]")]
    [InlineData("[StructLayout(LayoutKind.Sequential, Pack = 4)]")]
    [InlineData("[StructLayout(LayoutKind.Sequential, Size = 16)]")]
    [InlineData("[StructLayout(LayoutKind.Auto, Pack = 1)]")]
    public Task IOMMUGEN002_layout_override(string layout) => DeclarationVerifier.VerifyAsync(Usings + $$"""
        [IoctlCommand(0x3B, 0x80)]
        {{layout}}
        public partial struct {|IOMMUGEN002:Destroy|}
        {
            [SizeField] public uint Size;
            [LastMandatory] public uint Id;
        }
        """);

    [Fact]
    public Task IOMMUGEN002_explicit_layout() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x80)]
        [StructLayout(LayoutKind.Explicit)]
        public partial struct {|IOMMUGEN002:Destroy|}
        {
            [FieldOffset(0), SizeField] public uint Size;
            [FieldOffset(4), LastMandatory] public uint Id;
        }
        """);

    [Theory]
    [InlineData("")]
    [InlineData("[StructLayout(LayoutKind.Sequential)]")]
    [InlineData("[StructLayout(LayoutKind.Sequential, Pack = 0)]")]
    [InlineData("[StructLayout(LayoutKind.Sequential, Size = 0)]")]
    public Task IOMMUGEN002_is_silent_for_the_default_sequential_layout(string layout) => DeclarationVerifier.VerifyAsync(Usings + $$"""
        [IoctlCommand(0x3B, 0x80)]
        {{layout}}
        public partial struct Destroy
        {
            [SizeField] public uint Size;
            [LastMandatory] public uint Id;
        }
        """);

    // IOMMUGEN004: a [SizeField] is required

    [Fact]
    public Task IOMMUGEN004_no_size_field() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x80)]
        public partial struct {|IOMMUGEN004:Destroy|}
        {
            public uint Size;
            [LastMandatory] public uint Id;
        }
        """);

    [Fact]
    public Task IOMMUGEN004_no_size_field_in_a_vfio_struct() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x77, Convention = IoctlConvention.Vfio)]
        public partial struct {|IOMMUGEN004:DetachPt|}
        {
            public uint ArgSz;
            [LastMandatory] public uint Flags;
        }
        """);

    [Fact]
    public Task IOMMUGEN004_is_silent_when_argsz_is_marked() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x77, Convention = IoctlConvention.Vfio)]
        public partial struct DetachPt
        {
            [SizeField] public uint ArgSz;
            [LastMandatory] public uint Flags;
        }
        """);

    // IOMMUGEN005: the size field sits at offset 0

    [Fact]
    public Task IOMMUGEN005_size_field_after_another_field() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x80)]
        public partial struct Destroy
        {
            public uint Id;
            [SizeField] public uint {|IOMMUGEN005:Size|};
        }
        """);

    [Fact]
    public Task IOMMUGEN005_a_second_size_field_is_not_first() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x80)]
        public partial struct Destroy
        {
            [SizeField] public uint Size;
            [SizeField] public uint {|IOMMUGEN005:Id|};
        }
        """);

    [Fact]
    public Task IOMMUGEN005_is_silent_for_a_leading_size_field_followed_by_static_members() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x80)]
        public partial struct Destroy
        {
            public const uint Magic = 0x3B;
            public static uint Count;
            [SizeField] public uint Size;
            [LastMandatory] public uint Id;
        }
        """);

    // IOMMUGEN006: the size field is a uint

    [Theory]
    [InlineData("ulong", "public ulong Id;")]
    [InlineData("int", "public uint Id;")]
    [InlineData("ushort", "public ushort Pad; public uint Id;")]
    [InlineData("SizeWord", "public uint Id;")]
    public Task IOMMUGEN006_size_field_of_the_wrong_type(string type, string rest) => DeclarationVerifier.VerifyAsync(Usings + $$"""
        public enum SizeWord : uint { Zero = 0 }

        [IoctlCommand(0x3B, 0x80)]
        public partial struct Destroy
        {
            [SizeField] public {{type}} {|IOMMUGEN006:Size|};
            {{rest}}
        }
        """);

    [Fact]
    public Task IOMMUGEN006_is_silent_for_a_uint_size_field() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x80)]
        public partial struct Destroy
        {
            [SizeField] public uint Size;
            public uint Id;
        }
        """);

    // IOMMUGEN011: minimum size within [4, sizeof], from MinimumSize or exactly one [LastMandatory]

    [Fact]
    public Task IOMMUGEN011_two_last_mandatory_fields() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x8A)]
        public partial struct {|IOMMUGEN011:Option|}
        {
            [SizeField] public uint Size;
            [LastMandatory] public uint OptionId;
            [LastMandatory] public ushort Op;
            public ushort Reserved;
            public uint ObjectId;
            public ulong Value;
        }
        """);

    [Theory]
    [InlineData(1)] // smaller than the size field
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(12)] // larger than the 8-byte struct
    public Task IOMMUGEN011_minimum_size_out_of_range(int minimum) => DeclarationVerifier.VerifyAsync(Usings + $$"""
        [IoctlCommand(0x3B, 0x80, MinimumSize = {{minimum}})]
        public partial struct {|IOMMUGEN011:Destroy|}
        {
            [SizeField] public uint Size;
            public uint Id;
        }
        """);

    [Theory]
    [InlineData("MinimumSize = 4")]
    [InlineData("MinimumSize = 8")]
    [InlineData("MinimumSize = 0")]
    public Task IOMMUGEN011_is_silent_for_a_minimum_size_in_range(string minimum) => DeclarationVerifier.VerifyAsync(Usings + $$"""
        [IoctlCommand(0x3B, 0x80, {{minimum}})]
        public partial struct Destroy
        {
            [SizeField] public uint Size;
            public uint Id;
        }
        """);

    [Fact]
    public Task IOMMUGEN011_is_silent_for_one_last_mandatory_field_before_optional_tails() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x8A)]
        public partial struct Option
        {
            [SizeField] public uint Size;
            public uint OptionId;
            [LastMandatory] public ushort Op;
            public ushort Reserved;
            public uint ObjectId;
            public ulong Value;
        }
        """);

    // IOMMUGEN012: top-level and non-generic

    [Fact]
    public Task IOMMUGEN012_nested_command_struct() => DeclarationVerifier.VerifyAsync(Usings + """
        public static class Commands
        {
            [IoctlCommand(0x3B, 0x80)]
            public partial struct {|IOMMUGEN012:Destroy|}
            {
                [SizeField] public uint Size;
                [LastMandatory] public uint Id;
            }
        }
        """);

    [Fact]
    public Task IOMMUGEN012_generic_command_struct() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x80)]
        public partial struct {|IOMMUGEN012:Destroy|}<TTag>
        {
            [SizeField] public uint Size;
            [LastMandatory] public uint Id;
        }
        """);

    [Fact]
    public Task IOMMUGEN012_is_silent_for_a_top_level_struct_in_a_namespace() => DeclarationVerifier.VerifyAsync(Usings + """
        namespace Driver.Uapi
        {
            [IoctlCommand(0x3B, 0x80)]
            public partial struct Destroy
            {
                [SizeField] public uint Size;
                [LastMandatory] public uint Id;
            }
        }
        """);

    // IOMMUGEN015: value commands are empty

    [Fact]
    public Task IOMMUGEN015_value_command_with_a_field() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 100, Convention = IoctlConvention.Vfio, Argument = IoctlArgumentKind.Value)]
        public partial struct {|IOMMUGEN015:GetApiVersion|}
        {
            public ulong Value;
        }
        """);

    [Fact]
    public Task IOMMUGEN015_value_command_with_a_size_field() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 101, Convention = IoctlConvention.Vfio, Argument = IoctlArgumentKind.Value)]
        public partial struct {|IOMMUGEN015:CheckExtension|}
        {
            [SizeField] public uint ArgSz;
        }
        """);

    [Fact]
    public Task IOMMUGEN015_is_silent_for_an_empty_value_command() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 100, Convention = IoctlConvention.Vfio, Argument = IoctlArgumentKind.Value)]
        public readonly partial struct GetApiVersion;
        """);

    [Fact]
    public Task IOMMUGEN015_is_silent_for_a_value_command_with_only_constants() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 100, Convention = IoctlConvention.Vfio, Argument = IoctlArgumentKind.Value)]
        public partial struct GetApiVersion
        {
            public const int Expected = 0;
            public static int Calls;
        }
        """);

    // IOMMUGEN019: stub names are unique per namespace (compilation end; the later name in ordinal order is flagged)

    [Fact]
    public Task IOMMUGEN019_explicit_stub_name_collides_with_another_struct() => DeclarationVerifier.VerifyAsync(Usings + """
        namespace Driver.Uapi
        {
            [IoctlCommand(0x3B, 0x81, StubName = "Destroy")]
            public partial struct {|IOMMUGEN019:IommuDestroyAgain|}
            {
                [SizeField] public uint Size;
                [LastMandatory] public uint Id;
            }

            [IoctlCommand(0x3B, 0x80, StubName = "Destroy")]
            public partial struct IommuDestroy
            {
                [SizeField] public uint Size;
                [LastMandatory] public uint Id;
            }
        }
        """);

    [Fact]
    public Task IOMMUGEN019_explicit_stub_name_collides_with_a_default_stub_name() => DeclarationVerifier.VerifyAsync(Usings + """
        namespace Driver.Uapi
        {
            [IoctlCommand(0x3B, 0x80)]
            public partial struct Destroy
            {
                [SizeField] public uint Size;
                [LastMandatory] public uint Id;
            }

            [IoctlCommand(0x3B, 0x81, StubName = "Destroy")]
            public partial struct {|IOMMUGEN019:Release|}
            {
                [SizeField] public uint Size;
                [LastMandatory] public uint Id;
            }
        }
        """);

    [Fact]
    public Task IOMMUGEN019_three_structs_with_one_stub_name_flag_all_but_the_first() => DeclarationVerifier.VerifyAsync(Usings + """
        namespace Driver.Uapi
        {
            [IoctlCommand(0x3B, 0x82, StubName = "Destroy")]
            public partial struct {|IOMMUGEN019:C|}
            {
                [SizeField] public uint Size;
                [LastMandatory] public uint Id;
            }

            [IoctlCommand(0x3B, 0x81, StubName = "Destroy")]
            public partial struct {|IOMMUGEN019:B|}
            {
                [SizeField] public uint Size;
                [LastMandatory] public uint Id;
            }

            [IoctlCommand(0x3B, 0x80, StubName = "Destroy")]
            public partial struct A
            {
                [SizeField] public uint Size;
                [LastMandatory] public uint Id;
            }
        }
        """);

    [Fact]
    public Task IOMMUGEN019_is_silent_for_the_same_stub_name_in_different_namespaces() => DeclarationVerifier.VerifyAsync(Usings + """
        namespace Driver.Iommufd
        {
            [IoctlCommand(0x3B, 0x80, StubName = "Destroy")]
            public partial struct IommuDestroy
            {
                [SizeField] public uint Size;
                [LastMandatory] public uint Id;
            }
        }

        namespace Driver.Vfio
        {
            [IoctlCommand(0x3B, 0x81, StubName = "Destroy")]
            public partial struct VfioDestroy
            {
                [SizeField] public uint Size;
                [LastMandatory] public uint Id;
            }
        }
        """);

    [Fact]
    public Task IOMMUGEN019_is_silent_for_distinct_stub_names_in_one_namespace() => DeclarationVerifier.VerifyAsync(Usings + """
        namespace Driver.Uapi
        {
            [IoctlCommand(0x3B, 0x80, StubName = "Destroy")]
            public partial struct IommuDestroy
            {
                [SizeField] public uint Size;
                [LastMandatory] public uint Id;
            }

            [IoctlCommand(0x3B, 0x81, StubName = "Release")]
            public partial struct IommuRelease
            {
                [SizeField] public uint Size;
                [LastMandatory] public uint Id;
            }
        }
        """);
}
