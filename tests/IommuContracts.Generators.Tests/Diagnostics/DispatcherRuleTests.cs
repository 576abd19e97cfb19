using IommuContracts.Generators.Tests.Support;

namespace IommuContracts.Generators.Tests.Diagnostics;

/// <summary>
/// Rules of an [IoctlDispatcher] class and its [IoctlHandler] / [IoctlGate] methods. Handler rules are
/// reported on the method, dispatcher rules on the class.
/// </summary>
public class DispatcherRuleTests
{
    private const string Usings = """
        using IommuContracts;
        using IommuContracts.Contracts;
        using IommuContracts.Ioctl;
        using IommuContracts.Uapi;

        """;

    // IOMMUGEN001 (dispatchers share the partial rule with structs)

    [Fact]
    public Task IOMMUGEN001_dispatcher_not_partial() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlDispatcher]
        public sealed class {|IOMMUGEN001:Dispatcher|}
        {
            [IoctlHandler(typeof(IommuDestroy))]
            private Errno Destroy(ref IommuDestroy destroy) => Errno.None;
        }
        """);

    [Fact]
    public Task IOMMUGEN001_is_silent_for_a_partial_dispatcher() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            [IoctlHandler(typeof(IommuDestroy))]
            private Errno Destroy(ref IommuDestroy destroy) => Errno.None;
        }
        """);

    // IOMMUGEN012 for dispatchers

    [Fact]
    public Task IOMMUGEN012_nested_dispatcher() => DeclarationVerifier.VerifyAsync(Usings + """
        public static class Host
        {
            [IoctlDispatcher]
            public sealed partial class {|IOMMUGEN012:Dispatcher|}
            {
                [IoctlHandler(typeof(IommuDestroy))]
                private Errno Destroy(ref IommuDestroy destroy) => Errno.None;
            }
        }
        """);

    [Fact]
    public Task IOMMUGEN012_generic_dispatcher() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlDispatcher]
        public sealed partial class {|IOMMUGEN012:Dispatcher|}<TState>
        {
            [IoctlHandler(typeof(IommuDestroy))]
            private Errno Destroy(ref IommuDestroy destroy) => Errno.None;
        }
        """);

    [Fact]
    public Task IOMMUGEN012_nested_dispatcher_still_has_its_handlers_checked() => DeclarationVerifier.VerifyAsync(Usings + """
        public static class Host
        {
            [IoctlDispatcher]
            public sealed partial class {|IOMMUGEN012:Dispatcher|}
            {
                [IoctlHandler(typeof(IommuDestroy))]
                private int {|IOMMUGEN008:Destroy|}(ref IommuDestroy destroy) => 0;
            }
        }
        """);

    // IOMMUGEN007: one handler per command, and per iommufd table slot

    [Fact]
    public Task IOMMUGEN007_same_command_handled_twice() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            [IoctlHandler(typeof(IommuDestroy))]
            private Errno Destroy(ref IommuDestroy destroy) => Errno.None;

            [IoctlHandler(typeof(IommuDestroy))]
            private Errno {|IOMMUGEN007:DestroyAgain|}(ref IommuDestroy destroy, ref IoctlCall call) => Errno.None;
        }
        """);

    [Theory]
    [InlineData("0x3B")] // the same full command as IommuDestroy (0x3B, 0x80)
    [InlineData("0x3C")] // another magic, but the same iommufd table slot (0x80)
    public Task IOMMUGEN007_second_struct_in_the_iommufd_table_slot_of_destroy(string magic) => DeclarationVerifier.VerifyAsync(Usings + $$"""
        [IoctlCommand({{magic}}, 0x80)]
        public partial struct MyDestroy
        {
            [SizeField] public uint Size;
            [LastMandatory] public uint Id;
        }

        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            [IoctlHandler(typeof(IommuDestroy))]
            private Errno Destroy(ref IommuDestroy destroy) => Errno.None;

            [IoctlHandler(typeof(MyDestroy))]
            private Errno {|IOMMUGEN007:MyDestroy|}(ref MyDestroy destroy) => Errno.None;
        }
        """);

    [Fact]
    public Task IOMMUGEN007_same_value_command_handled_twice() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            [IoctlHandler(typeof(VfioGetApiVersion))]
            private int ApiVersion(ulong value) => 0;

            [IoctlHandler(typeof(VfioGetApiVersion))]
            private static int {|IOMMUGEN007:ApiVersionAgain|}(ulong value) => 0;
        }
        """);

    [Fact]
    public Task IOMMUGEN007_is_silent_for_a_vfio_command_with_the_same_number_and_another_magic() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3C, 0x80, Convention = IoctlConvention.Vfio)]
        public partial struct OtherMagic
        {
            [SizeField] public uint ArgSz;
            [LastMandatory] public uint Flags;
        }

        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            [IoctlHandler(typeof(IommuDestroy))]
            private Errno Destroy(ref IommuDestroy destroy) => Errno.None;

            [IoctlHandler(typeof(OtherMagic))]
            private Errno Other(ref OtherMagic other) => Errno.None;
        }
        """);

    [Fact]
    public Task IOMMUGEN007_is_silent_for_distinct_commands() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            [IoctlHandler(typeof(IommuDestroy))]
            private Errno Destroy(ref IommuDestroy destroy) => Errno.None;

            [IoctlHandler(typeof(IommuIoasAlloc))]
            private Errno IoasAlloc(ref IommuIoasAlloc alloc) => Errno.None;

            [IoctlHandler(typeof(VfioDeviceBindIommufd))]
            private Errno Bind(ref VfioDeviceBindIommufd bind) => Errno.None;

            [IoctlHandler(typeof(VfioGetApiVersion))]
            private int ApiVersion(ulong value) => 0;
        }
        """);

    [Fact]
    public Task IOMMUGEN007_is_silent_for_the_same_command_in_two_dispatchers() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlDispatcher]
        public sealed partial class First
        {
            [IoctlHandler(typeof(IommuDestroy))]
            private Errno Destroy(ref IommuDestroy destroy) => Errno.None;
        }

        [IoctlDispatcher]
        public sealed partial class Second
        {
            [IoctlHandler(typeof(IommuDestroy))]
            private Errno Destroy(ref IommuDestroy destroy) => Errno.None;
        }
        """);

    // IOMMUGEN008: handler and gate signatures

    [Theory]
    [InlineData("int {|IOMMUGEN008:Destroy|}(ref IommuDestroy a) => 0;")]
    [InlineData("void {|IOMMUGEN008:Destroy|}(ref IommuDestroy a) { }")]
    [InlineData("Errno {|IOMMUGEN008:Destroy|}(IommuDestroy a) => Errno.None;")]
    [InlineData("Errno {|IOMMUGEN008:Destroy|}(in IommuDestroy a) => Errno.None;")]
    [InlineData("Errno {|IOMMUGEN008:Destroy|}(out IommuDestroy a) { a = default; return Errno.None; }")]
    [InlineData("Errno {|IOMMUGEN008:Destroy|}(ref IommuIoasAlloc a) => Errno.None;")]
    [InlineData("Errno {|IOMMUGEN008:Destroy|}() => Errno.None;")]
    [InlineData("Errno {|IOMMUGEN008:Destroy|}(ref IommuDestroy a, IoctlCall call) => Errno.None;")]
    [InlineData("Errno {|IOMMUGEN008:Destroy|}(ref IommuDestroy a, ref int call) => Errno.None;")]
    [InlineData("Errno {|IOMMUGEN008:Destroy|}(ref IommuDestroy a, ref IoctlCall call, int extra) => Errno.None;")]
    [InlineData("Errno {|IOMMUGEN008:Destroy|}<T>(ref IommuDestroy a) => Errno.None;")]
    public Task IOMMUGEN008_pointer_handler_signature(string handler) => DeclarationVerifier.VerifyAsync(Usings + $$"""
        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            [IoctlHandler(typeof(IommuDestroy))]
            private {{handler}}
        }
        """);

    [Theory]
    [InlineData("private Errno Destroy(ref IommuDestroy a) => Errno.None;")]
    [InlineData("private Errno Destroy(ref IommuDestroy a, ref IoctlCall call) => Errno.None;")]
    [InlineData("private static Errno Destroy(ref IommuDestroy a) => Errno.None;")]
    [InlineData("public Errno Destroy(ref IommuDestroy destroy, ref IoctlCall call) => call.Respond(in destroy);")]
    public Task IOMMUGEN008_is_silent_for_a_pointer_handler_of_the_right_shape(string handler) => DeclarationVerifier.VerifyAsync(Usings + $$"""
        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            [IoctlHandler(typeof(IommuDestroy))]
            {{handler}}
        }
        """);

    [Theory]
    [InlineData("Errno {|IOMMUGEN008:ApiVersion|}(ulong value) => Errno.None;")]
    [InlineData("long {|IOMMUGEN008:ApiVersion|}(ulong value) => 0;")]
    [InlineData("int {|IOMMUGEN008:ApiVersion|}(uint value) => 0;")]
    [InlineData("int {|IOMMUGEN008:ApiVersion|}(long value) => 0;")]
    [InlineData("int {|IOMMUGEN008:ApiVersion|}(ref ulong value) => 0;")]
    [InlineData("int {|IOMMUGEN008:ApiVersion|}() => 0;")]
    [InlineData("int {|IOMMUGEN008:ApiVersion|}(ulong value, ref IoctlCall call) => 0;")]
    [InlineData("Errno {|IOMMUGEN008:ApiVersion|}(ref VfioGetApiVersion value) => Errno.None;")]
    [InlineData("int {|IOMMUGEN008:ApiVersion|}<T>(ulong value) => 0;")]
    public Task IOMMUGEN008_value_handler_signature(string handler) => DeclarationVerifier.VerifyAsync(Usings + $$"""
        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            [IoctlHandler(typeof(VfioGetApiVersion))]
            private {{handler}}
        }
        """);

    [Fact]
    public Task IOMMUGEN008_is_silent_for_a_value_handler_of_the_right_shape() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            [IoctlHandler(typeof(VfioGetApiVersion))]
            private int ApiVersion(ulong value) => 0;

            [IoctlHandler(typeof(VfioCheckExtension))]
            private static int CheckExtension(ulong extension) => 1;
        }
        """);

    [Theory]
    [InlineData("Errno {|IOMMUGEN008:Gate|}(int command) => Errno.None;")]
    [InlineData("Errno {|IOMMUGEN008:Gate|}(ulong command) => Errno.None;")]
    [InlineData("int {|IOMMUGEN008:Gate|}(uint command) => 0;")]
    [InlineData("bool {|IOMMUGEN008:Gate|}(uint command) => true;")]
    [InlineData("Errno {|IOMMUGEN008:Gate|}(ref uint command) => Errno.None;")]
    [InlineData("Errno {|IOMMUGEN008:Gate|}() => Errno.None;")]
    [InlineData("Errno {|IOMMUGEN008:Gate|}(uint command, ref IoctlCall call) => Errno.None;")]
    [InlineData("Errno {|IOMMUGEN008:Gate|}<T>(uint command) => Errno.None;")]
    public Task IOMMUGEN008_gate_signature(string gate) => DeclarationVerifier.VerifyAsync(Usings + $$"""
        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            [IoctlGate]
            private {{gate}}

            [IoctlHandler(typeof(IommuDestroy))]
            private Errno Destroy(ref IommuDestroy destroy) => Errno.None;
        }
        """);

    [Fact]
    public Task IOMMUGEN008_second_gate() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            public bool Bound { get; set; }

            [IoctlGate]
            private Errno Gate(uint command) => Bound ? Errno.None : Errno.EINVAL;

            [IoctlGate]
            private Errno {|IOMMUGEN008:OtherGate|}(uint command) => Errno.None;

            [IoctlHandler(typeof(IommuDestroy))]
            private Errno Destroy(ref IommuDestroy destroy) => Errno.None;
        }
        """);

    [Fact]
    public Task IOMMUGEN008_is_silent_for_one_gate_of_the_right_shape() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            public bool Bound { get; set; }

            [IoctlGate]
            private Errno Gate(uint command) => Bound || command == VfioDeviceBindIommufd.Command ? Errno.None : Errno.EINVAL;

            private Errno NotAGate(int command) => Errno.None;

            [IoctlHandler(typeof(VfioDeviceBindIommufd))]
            private Errno Bind(ref VfioDeviceBindIommufd bind) => Errno.None;
        }
        """);

    // IOMMUGEN013: the handler names a well-formed [IoctlCommand] struct

    [Theory]
    [InlineData("typeof(int)", "ref int a")]
    [InlineData("typeof(string)", "ref IommuDestroy a")]
    [InlineData("typeof(IoasId)", "ref IoasId a")]
    [InlineData("typeof(IommuIoasMapFlags)", "ref IommuIoasMapFlags a")]
    [InlineData("typeof(PlainStruct)", "ref PlainStruct a")]
    [InlineData("typeof(Dispatcher)", "ref IommuDestroy a")]
    [InlineData("typeof(IommuDestroy[])", "ref IommuDestroy a")]
    [InlineData("null", "ref IommuDestroy a")]
    public Task IOMMUGEN013_handler_names_something_that_is_not_a_command(string command, string parameter) => DeclarationVerifier.VerifyAsync(Usings + $$"""
        public partial struct PlainStruct
        {
            public uint Size;
            public uint Id;
        }

        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            [IoctlHandler({{command}})]
            private Errno {|IOMMUGEN013:Handle|}({{parameter}}) => Errno.None;
        }
        """);

    [Fact]
    public Task IOMMUGEN013_handler_names_a_malformed_command_struct() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x90)]
        public struct {|IOMMUGEN001:MyCommand|}
        {
            [SizeField] public uint Size;
            [LastMandatory] public uint Id;
        }

        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            [IoctlHandler(typeof(MyCommand))]
            private Errno {|IOMMUGEN013:Handle|}(ref MyCommand a) => Errno.None;
        }
        """);

    [Fact]
    public Task IOMMUGEN013_handler_names_a_command_whose_field_is_malformed() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x90)]
        public partial struct MyCommand
        {
            [SizeField] public ulong {|IOMMUGEN006:Size|};
            [LastMandatory] public uint Id;
        }

        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            [IoctlHandler(typeof(MyCommand))]
            private Errno {|IOMMUGEN013:Handle|}(ref MyCommand a) => Errno.None;
        }
        """);

    [Fact]
    public Task IOMMUGEN013_is_silent_for_a_well_formed_command_declared_in_the_same_compilation() => DeclarationVerifier.VerifyAsync(Usings + """
        [IoctlCommand(0x3B, 0x90)]
        public partial struct MyCommand
        {
            [SizeField] public uint Size;
            [LastMandatory] public uint Id;
        }

        [IoctlCommand(0x3B, 100, Convention = IoctlConvention.Vfio, Argument = IoctlArgumentKind.Value)]
        public readonly partial struct MyValueCommand;

        [IoctlDispatcher]
        public sealed partial class Dispatcher
        {
            [IoctlHandler(typeof(MyCommand))]
            private Errno Handle(ref MyCommand a) => Errno.None;

            [IoctlHandler(typeof(MyValueCommand))]
            private int HandleValue(ulong value) => 0;
        }
        """);
}
