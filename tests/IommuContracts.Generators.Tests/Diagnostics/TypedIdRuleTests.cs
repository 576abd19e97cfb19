using IommuContracts.Generators.Tests.Support;

namespace IommuContracts.Generators.Tests.Diagnostics;

/// <summary>Rules of a [TypedObjectId] struct, reported on the struct.</summary>
public class TypedIdRuleTests
{
    private const string Usings = """
        using IommuContracts;
        using IommuContracts.Contracts;

        """;

    // IOMMUGEN016: readonly partial struct without instance fields

    [Fact]
    public Task IOMMUGEN016_not_partial() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId]
        public readonly struct {|IOMMUGEN016:PasidId|};
        """);

    [Fact]
    public Task IOMMUGEN016_not_readonly() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId]
        public partial struct {|IOMMUGEN016:PasidId|};
        """);

    [Fact]
    public Task IOMMUGEN016_declares_a_field() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId]
        public readonly partial struct {|IOMMUGEN016:PasidId|}
        {
            private readonly uint _raw;

            public uint Raw => _raw;
        }
        """);

    [Fact]
    public Task IOMMUGEN016_declares_a_field_in_another_part() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId]
        public readonly partial struct {|IOMMUGEN016:PasidId|};

        public readonly partial struct PasidId
        {
            public readonly ulong Wide;
        }
        """);

    [Fact]
    public Task IOMMUGEN016_declares_an_auto_property() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId]
        public readonly partial struct {|IOMMUGEN016:PasidId|}
        {
            public uint Raw { get; }
        }
        """);

    [Fact]
    public Task IOMMUGEN016_all_three_faults_give_one_diagnostic() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId]
        public struct {|IOMMUGEN016:PasidId|}
        {
            public uint Raw;
        }
        """);

    [Fact]
    public Task IOMMUGEN016_is_silent_for_an_empty_readonly_partial_struct() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId]
        public readonly partial struct PasidId;
        """);

    [Fact]
    public Task IOMMUGEN016_is_silent_for_static_members_and_constants() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId]
        public readonly partial struct PasidId
        {
            public const uint Max = 0xFFFFF;

            public static int Created;

            public static bool InRange(uint raw) => raw <= Max;
        }
        """);

    [Fact]
    public Task IOMMUGEN016_is_silent_for_the_field_this_generator_adds() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId]
        public readonly partial struct PasidId;

        [global::System.CodeDom.Compiler.GeneratedCode("IommuContracts.Generators", "1.0")]
        partial struct PasidId
        {
            public readonly uint Value;
        }
        """);

    [Fact]
    public Task IOMMUGEN016_a_field_from_another_tool_still_counts() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId]
        public readonly partial struct {|IOMMUGEN016:PasidId|};

        [global::System.CodeDom.Compiler.GeneratedCode("SomeOtherGenerator", "1.0")]
        partial struct PasidId
        {
            public readonly uint Value;
        }
        """);

    // IOMMUGEN012 for typed IDs

    [Fact]
    public Task IOMMUGEN012_nested_typed_id() => DeclarationVerifier.VerifyAsync(Usings + """
        public static class Ids
        {
            [TypedObjectId]
            public readonly partial struct {|IOMMUGEN012:PasidId|};
        }
        """);

    [Fact]
    public Task IOMMUGEN012_generic_typed_id() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId]
        public readonly partial struct {|IOMMUGEN012:PasidId|}<TOwner>;
        """);

    [Fact]
    public Task IOMMUGEN012_is_silent_for_a_typed_id_in_a_namespace() => DeclarationVerifier.VerifyAsync(Usings + """
        namespace Driver.Ids
        {
            [TypedObjectId]
            public readonly partial struct PasidId;

            [TypedObjectId]
            internal readonly partial struct QueueId;
        }
        """);

    // IOMMUGEN020: the kinds of an ID of several kinds

    [Fact]
    public Task IOMMUGEN020_a_kind_that_is_not_a_typed_id() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId(typeof(IoasId), typeof(uint))]
        public readonly partial struct {|IOMMUGEN020:TargetId|};
        """);

    [Fact]
    public Task IOMMUGEN020_a_kind_that_has_kinds_of_its_own() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId(typeof(AccessId), typeof(PageTableId))]
        public readonly partial struct {|IOMMUGEN020:TargetId|};
        """);

    [Fact]
    public Task IOMMUGEN020_itself_as_a_kind() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId(typeof(IoasId), typeof(TargetId))]
        public readonly partial struct {|IOMMUGEN020:TargetId|};
        """);

    [Fact]
    public Task IOMMUGEN020_a_kind_listed_twice() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId(typeof(IoasId), typeof(HwptId), typeof(IoasId))]
        public readonly partial struct {|IOMMUGEN020:TargetId|};
        """);

    [Fact]
    public Task IOMMUGEN020_a_single_kind() => DeclarationVerifier.VerifyAsync(Usings + """
        [TypedObjectId(typeof(IoasId))]
        public readonly partial struct {|IOMMUGEN020:TargetId|};
        """);

    [Fact]
    public Task IOMMUGEN020_is_silent_for_distinct_typed_ids_of_one_kind_each() => DeclarationVerifier.VerifyAsync(Usings + """
        namespace Driver.Ids
        {
            [TypedObjectId]
            public readonly partial struct QueueId;

            [TypedObjectId(typeof(IoasId), typeof(HwptId), typeof(QueueId))]
            public readonly partial struct TargetId;
        }
        """);
}
