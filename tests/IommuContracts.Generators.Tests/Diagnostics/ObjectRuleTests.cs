using IommuContracts.Generators.Tests.Support;

namespace IommuContracts.Generators.Tests.Diagnostics;

/// <summary>
/// Rules of object kinds ([IommufdObject]), object bases ([IommufdObjectBase]) and object tables
/// ([IommufdObjectTable]), all reported on the class.
/// </summary>
public class ObjectRuleTests
{
    private const string Prelude = """
        using IommuContracts;
        using IommuContracts.Contracts;

        [IommufdObjectBase]
        public abstract partial class ToyObject
        {
        }

        """;

    // IOMMUGEN017: object kinds

    [Fact]
    public Task IOMMUGEN017_kind_not_partial() => DeclarationVerifier.VerifyAsync(Prelude + """
        [IommufdObject(typeof(IoasId), Kind = 1)]
        public sealed class {|IOMMUGEN017:ToyIoas|} : ToyObject
        {
            public void Destroy() { }
        }
        """);

    [Theory]
    [InlineData("")]
    [InlineData(" : System.Exception")]
    [InlineData(" : NotABase")]
    public Task IOMMUGEN017_kind_does_not_derive_from_an_object_base(string baseList) => DeclarationVerifier.VerifyAsync(Prelude + $$"""
        public abstract class NotABase
        {
        }

        [IommufdObject(typeof(IoasId), Kind = 1)]
        public sealed partial class {|IOMMUGEN017:ToyIoas|}{{baseList}}
        {
            public void Destroy() { }
        }
        """);

    [Theory]
    [InlineData("uint")]
    [InlineData("ObjectId")]
    [InlineData("ToyObject")]
    [InlineData("PlainId")]
    public Task IOMMUGEN017_kind_names_an_id_type_that_is_not_a_typed_id(string idType) => DeclarationVerifier.VerifyAsync(Prelude + $$"""
        public readonly partial struct PlainId;

        [IommufdObject(typeof({{idType}}), Kind = 1)]
        public sealed partial class {|IOMMUGEN017:ToyIoas|} : ToyObject
        {
            public void Destroy() { }
        }
        """);

    [Fact]
    public Task IOMMUGEN017_kind_names_a_null_id_type() => DeclarationVerifier.VerifyAsync(Prelude + """
        [IommufdObject(null, Kind = 1)]
        public sealed partial class {|IOMMUGEN017:ToyIoas|} : ToyObject
        {
            public void Destroy() { }
        }
        """);

    [Theory]
    [InlineData("typeof(IoasId)")]
    [InlineData("typeof(IoasId), Kind = 0")]
    [InlineData("typeof(IoasId), Kind = -3")]
    public Task IOMMUGEN017_kind_number_not_greater_than_zero(string arguments) => DeclarationVerifier.VerifyAsync(Prelude + $$"""
        [IommufdObject({{arguments}})]
        public sealed partial class {|IOMMUGEN017:ToyIoas|} : ToyObject
        {
            public void Destroy() { }
        }
        """);

    [Theory]
    [InlineData("")]
    [InlineData("private void Destroy() { }")]
    [InlineData("protected void Destroy() { }")]
    [InlineData("private protected void Destroy() { }")]
    [InlineData("public static void Destroy() { }")]
    [InlineData("public void Destroy(bool force) { }")]
    [InlineData("public bool Destroy() => true;")]
    [InlineData("public void Destroy<T>() { }")]
    [InlineData("public void Abort() { }")]
    [InlineData("public System.Action Destroy => () => { };")]
    public Task IOMMUGEN017_kind_without_a_usable_destroy(string member) => DeclarationVerifier.VerifyAsync(Prelude + $$"""
        [IommufdObject(typeof(IoasId), Kind = 1)]
        public sealed partial class {|IOMMUGEN017:ToyIoas|} : ToyObject
        {
            {{member}}
        }
        """);

    [Theory]
    [InlineData("public void Destroy() { }")]
    [InlineData("internal void Destroy() { }")]
    [InlineData("protected internal void Destroy() { }")]
    [InlineData("public void Destroy() { } public void Abort() { }")]
    [InlineData("public void Destroy() { } public static void Destroy(int unused) { }")]
    public Task IOMMUGEN017_is_silent_for_a_well_formed_kind(string members) => DeclarationVerifier.VerifyAsync(Prelude + $$"""
        [IommufdObject(typeof(IoasId), Kind = 1)]
        public sealed partial class ToyIoas : ToyObject
        {
            {{members}}
        }
        """);

    [Fact]
    public Task IOMMUGEN017_is_silent_for_a_kind_that_derives_from_the_base_indirectly() => DeclarationVerifier.VerifyAsync(Prelude + """
        public abstract class ToyHwpt : ToyObject
        {
        }

        [IommufdObject(typeof(HwptId), Kind = 2)]
        public sealed partial class ToyHwptPaging : ToyHwpt
        {
            public void Destroy() { }
        }

        [IommufdObject(typeof(HwptId), Kind = 3)]
        public sealed partial class ToyHwptNested : ToyHwpt
        {
            internal void Destroy() { }
        }
        """);

    [Fact]
    public Task IOMMUGEN017_is_silent_for_a_typed_id_declared_in_the_same_compilation() => DeclarationVerifier.VerifyAsync(Prelude + """
        [TypedObjectId]
        public readonly partial struct PasidId;

        [IommufdObject(typeof(PasidId), Kind = 9)]
        public sealed partial class ToyPasid : ToyObject
        {
            internal void Destroy() { }
        }
        """);

    // IOMMUGEN017: object bases

    [Theory]
    [InlineData("public partial class")]
    [InlineData("public abstract class")]
    [InlineData("public class")]
    public Task IOMMUGEN017_object_base_not_abstract_partial(string declaration) => DeclarationVerifier.VerifyAsync($$"""
        using IommuContracts.Contracts;

        [IommufdObjectBase]
        {{declaration}} {|IOMMUGEN017:ToyObject|}
        {
        }
        """);

    [Fact]
    public Task IOMMUGEN017_is_silent_for_an_abstract_partial_object_base() => DeclarationVerifier.VerifyAsync("""
        using IommuContracts.Contracts;

        [IommufdObjectBase]
        internal abstract partial class ToyObject
        {
        }
        """);

    // IOMMUGEN017: object tables

    [Fact]
    public Task IOMMUGEN017_object_table_not_partial() => DeclarationVerifier.VerifyAsync(Prelude + """
        [IommufdObjectTable(typeof(ToyObject))]
        public sealed class {|IOMMUGEN017:ToyTable|}
        {
        }
        """);

    [Theory]
    [InlineData("object")]
    [InlineData("NotABase")]
    [InlineData("ToyIoas")]
    [InlineData("IoasId")]
    public Task IOMMUGEN017_object_table_names_a_class_that_is_not_an_object_base(string objectBase) => DeclarationVerifier.VerifyAsync(Prelude + $$"""
        public abstract class NotABase
        {
        }

        [IommufdObject(typeof(IoasId), Kind = 1)]
        public sealed partial class ToyIoas : ToyObject
        {
            public void Destroy() { }
        }

        [IommufdObjectTable(typeof({{objectBase}}))]
        public sealed partial class {|IOMMUGEN017:ToyTable|}
        {
        }
        """);

    [Fact]
    public Task IOMMUGEN017_object_table_names_null() => DeclarationVerifier.VerifyAsync(Prelude + """
        [IommufdObjectTable(null)]
        public sealed partial class {|IOMMUGEN017:ToyTable|}
        {
        }
        """);

    [Fact]
    public Task IOMMUGEN017_is_silent_for_a_well_formed_object_model() => DeclarationVerifier.VerifyAsync(Prelude + """
        [IommufdObject(typeof(IoasId), Kind = 4)]
        public sealed partial class ToyIoas : ToyObject
        {
            public void Destroy() { }
        }

        [IommufdObject(typeof(HwptId), Kind = 2)]
        public sealed partial class ToyHwptPaging : ToyObject
        {
            public void Destroy() { }

            public void Abort() { }
        }

        [IommufdObjectTable(typeof(ToyObject))]
        public sealed partial class ToyTable
        {
        }
        """);

    // IOMMUGEN012 for object declarations

    [Fact]
    public Task IOMMUGEN012_nested_object_kind() => DeclarationVerifier.VerifyAsync(Prelude + """
        public static class Kinds
        {
            [IommufdObject(typeof(IoasId), Kind = 1)]
            public sealed partial class {|IOMMUGEN012:ToyIoas|} : ToyObject
            {
                public void Destroy() { }
            }
        }
        """);

    [Fact]
    public Task IOMMUGEN012_generic_object_kind() => DeclarationVerifier.VerifyAsync(Prelude + """
        [IommufdObject(typeof(IoasId), Kind = 1)]
        public sealed partial class {|IOMMUGEN012:ToyIoas|}<TPayload> : ToyObject
        {
            public void Destroy() { }
        }
        """);

    [Fact]
    public Task IOMMUGEN012_nested_object_base() => DeclarationVerifier.VerifyAsync("""
        using IommuContracts.Contracts;

        public static class Model
        {
            [IommufdObjectBase]
            public abstract partial class {|IOMMUGEN012:ToyObject|}
            {
            }
        }
        """);

    [Fact]
    public Task IOMMUGEN012_nested_object_table() => DeclarationVerifier.VerifyAsync(Prelude + """
        public static class Tables
        {
            [IommufdObjectTable(typeof(ToyObject))]
            public sealed partial class {|IOMMUGEN012:ToyTable|}
            {
            }
        }
        """);

    // IOMMUGEN018: kind numbers are unique per object base (compilation end; the later name in ordinal order is flagged)

    [Fact]
    public Task IOMMUGEN018_two_kinds_with_one_number() => DeclarationVerifier.VerifyAsync(Prelude + """
        [IommufdObject(typeof(IoasId), Kind = 2)]
        public sealed partial class {|IOMMUGEN018:ToyIoas|} : ToyObject
        {
            public void Destroy() { }
        }

        [IommufdObject(typeof(HwptId), Kind = 2)]
        public sealed partial class ToyHwpt : ToyObject
        {
            public void Destroy() { }
        }
        """);

    [Fact]
    public Task IOMMUGEN018_three_kinds_with_one_number_flag_all_but_the_first() => DeclarationVerifier.VerifyAsync(Prelude + """
        [IommufdObject(typeof(IoasId), Kind = 5)]
        public sealed partial class {|IOMMUGEN018:ToyC|} : ToyObject
        {
            public void Destroy() { }
        }

        [IommufdObject(typeof(HwptId), Kind = 5)]
        public sealed partial class ToyA : ToyObject
        {
            public void Destroy() { }
        }

        [IommufdObject(typeof(DeviceId), Kind = 5)]
        public sealed partial class {|IOMMUGEN018:ToyB|} : ToyObject
        {
            public void Destroy() { }
        }
        """);

    [Fact]
    public Task IOMMUGEN018_duplicate_through_an_intermediate_class() => DeclarationVerifier.VerifyAsync(Prelude + """
        public abstract class ToyHwpt : ToyObject
        {
        }

        [IommufdObject(typeof(HwptId), Kind = 3)]
        public sealed partial class ToyHwptPaging : ToyHwpt
        {
            public void Destroy() { }
        }

        [IommufdObject(typeof(IoasId), Kind = 3)]
        public sealed partial class {|IOMMUGEN018:ToyIoas|} : ToyObject
        {
            public void Destroy() { }
        }
        """);

    [Fact]
    public Task IOMMUGEN018_is_silent_for_distinct_kind_numbers() => DeclarationVerifier.VerifyAsync(Prelude + """
        [IommufdObject(typeof(IoasId), Kind = 1)]
        public sealed partial class ToyIoas : ToyObject
        {
            public void Destroy() { }
        }

        [IommufdObject(typeof(HwptId), Kind = 2)]
        public sealed partial class ToyHwpt : ToyObject
        {
            public void Destroy() { }
        }
        """);

    [Fact]
    public Task IOMMUGEN018_is_silent_for_one_number_under_two_object_bases() => DeclarationVerifier.VerifyAsync(Prelude + """
        [IommufdObjectBase]
        public abstract partial class OtherObject
        {
        }

        [IommufdObject(typeof(IoasId), Kind = 1)]
        public sealed partial class ToyIoas : ToyObject
        {
            public void Destroy() { }
        }

        [IommufdObject(typeof(IoasId), Kind = 1)]
        public sealed partial class OtherIoas : OtherObject
        {
            public void Destroy() { }
        }
        """);

    [Fact]
    public Task IOMMUGEN018_is_not_reported_for_a_kind_that_is_already_malformed() => DeclarationVerifier.VerifyAsync(Prelude + """
        [IommufdObject(typeof(IoasId), Kind = 1)]
        public sealed partial class ToyIoas : ToyObject
        {
            public void Destroy() { }
        }

        [IommufdObject(typeof(HwptId), Kind = 1)]
        public sealed class {|IOMMUGEN017:ToyHwpt|} : ToyObject
        {
            public void Destroy() { }
        }
        """);
}
