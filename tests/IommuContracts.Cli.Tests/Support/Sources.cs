namespace IommuContracts.Cli.Tests.Support;

/// <summary>Source files the tests check: IommuContracts declarations with and without mistakes, and code that does not compile.</summary>
public static class Sources
{
    /// <summary>A non-partial [IoctlCommand] struct: IOMMUGEN001 on 'Destroy' at line 7, column 15.</summary>
    public const string NonPartialStruct = """
        using IommuContracts;
        using IommuContracts.Contracts;

        namespace Review;

        [IoctlCommand(0x3B, 0x80)]
        public struct Destroy
        {
            [SizeField] public uint Size;
            [LastMandatory] public uint Id;
        }
        """;

    public const int NonPartialStructLine = 7;

    /// <summary>A well-formed declaration: no findings.</summary>
    public const string PartialStruct = """
        using IommuContracts;
        using IommuContracts.Contracts;

        namespace Review;

        [IoctlCommand(0x3B, 0x81)]
        public partial struct Create
        {
            [SizeField] public uint Size;
            [LastMandatory] public uint Id;
        }
        """;

    /// <summary>A second non-partial struct (IOMMUGEN001 on 'Query' at line 7).</summary>
    public const string SecondNonPartialStruct = """
        using IommuContracts;
        using IommuContracts.Contracts;

        namespace Review;

        [IoctlCommand(0x3B, 0x82)]
        public struct Query
        {
            [SizeField] public uint Size;
            [LastMandatory] public uint Id;
        }
        """;

    /// <summary>Two compiler errors: CS0029 at 1:35 and CS0103.</summary>
    public const string DoesNotCompile = """
        class Broken { void M() { int x = "text"; Missing(); } }
        """;
}
