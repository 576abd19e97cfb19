using IommuContracts.Generators.Tests.Support;

namespace IommuContracts.Generators.Tests.Diagnostics;

/// <summary>Layout forms beyond plain fields: C arrays as fixed buffers or inline arrays, packed nested structs, the short StructLayout.</summary>
public class LayoutEdgeTests
{
    private const string Usings = """
        using IommuContracts;
        using IommuContracts.Contracts;
        using System.Runtime.CompilerServices;
        using System.Runtime.InteropServices;

        """;

    [Fact]
    public Task IOMMUGEN002_short_form_of_StructLayout_is_recognised() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x80)]
        [StructLayout((short)3)]
        public partial struct {|IOMMUGEN002:Auto|}
        {
            [SizeField] public uint Size;
            [LastMandatory] public uint Id;
        }
        """);

    [Fact]
    public Task A_nested_struct_with_Pack_is_not_blittable() => DeclarationVerifier.VerifyAsync(Usings + """
        [StructLayout(LayoutKind.Sequential, Pack = 1)]
        public struct Packed { public byte A; public ulong B; }

        [IoctlCommand(0x3B, 0x80)]
        public partial struct UsesPacked
        {
            [SizeField, LastMandatory] public uint Size;
            public Packed {|IOMMUGEN003:Inner|};
        }
        """);

    [Fact]
    public Task A_negative_minimum_size_is_out_of_range() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x80, MinimumSize = -5)]
        public partial struct {|IOMMUGEN011:Negative|}
        {
            [SizeField] public uint Size;
            [LastMandatory] public uint Id;
        }
        """);

    [Fact]
    public Task A_minimum_size_inside_an_inline_array_struct_is_accepted() => DeclarationVerifier.VerifyAsync(Usings + """
        [InlineArray(3)]
        public struct Reserved3 { private byte _element; }

        [IoctlCommand(0x3B, 0x80, MinimumSize = 8)]
        public partial struct WithArray
        {
            [SizeField] public uint Size;
            public byte Log2;
            public Reserved3 Reserved;
            public ulong Capabilities;
        }
        """);

    [Fact]
    public void Inline_arrays_get_their_C_size()
    {
        var generated = GeneratorHarness.Generate("""
            using IommuContracts.Contracts;
            using System.Runtime.CompilerServices;

            namespace Demo;

            [InlineArray(3)]
            public struct Reserved3 { private byte _element; }

            [IoctlCommand(0x3B, 0x80)]
            public partial struct WithInlineArray
            {
                [SizeField] public uint Size;
                public byte Log2;
                public Reserved3 Reserved;
                [LastMandatory] public ulong Capabilities;
            }
            """);

        // uint + byte + byte[3] = 8, then the u64 at 8: 16 bytes, minimum at the end of Capabilities.
        Assert.Contains("NativeSize = 16;", Text(generated, "WithInlineArray"), StringComparison.Ordinal);
        Assert.Contains("MinimumSize = 16;", Text(generated, "WithInlineArray"), StringComparison.Ordinal);
    }

    private static string Text(IEnumerable<Microsoft.CodeAnalysis.GeneratedSourceResult> sources, string name)
        => sources.Single(s => s.HintName == $"Demo.{name}.Ioctl.g.cs").SourceText.ToString();
}
