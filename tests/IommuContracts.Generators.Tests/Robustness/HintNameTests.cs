using IommuContracts.Generators.Tests.Support;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Generators.Tests.Robustness;

/// <summary>
/// Issue 11, G1 and G2: whatever declarations a valid (or mid-edit) program has, the generator adds every file
/// once under a hint name no other file has case-insensitively (Roslyn's rule), and never throws: a throw is
/// CS8785 and drops all of its output, so the user would see only "does not contain a definition" errors.
/// </summary>
public class HintNameTests
{
    private const string Head = """
        using IommuContracts;
        using IommuContracts.Contracts;

        namespace Demo;

        """;

    [Fact]
    public void Two_command_structs_whose_names_differ_only_in_case_both_get_their_files()
    {
        var sources = GeneratorHarness.Generate(Head + """
            [IoctlCommand(0x3B, 0x81, StubName = "AllocLower")]
            public partial struct Cmd
            {
                [SizeField] public uint Size;
                [Output, LastMandatory] public IoasId OutId;
            }

            [IoctlCommand(0x3B, 0x82, StubName = "AllocUpper")]
            public partial struct CMD
            {
                [SizeField] public uint Size;
                [Output, LastMandatory] public HwptId OutId;
            }

            public static class Uses
            {
                public static uint Both => Cmd.Command + CMD.Command;
            }
            """);

        var hints = sources.Select(s => s.HintName).Where(h => h.EndsWith(".Ioctl.g.cs", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, hints.Count);
        Assert.Equal(2, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains(sources, s => s.SourceText.ToString().Contains("partial struct Cmd", StringComparison.Ordinal));
        Assert.Contains(sources, s => s.SourceText.ToString().Contains("partial struct CMD", StringComparison.Ordinal));
    }

    [Fact]
    public void Disambiguated_hint_names_are_stable_and_others_keep_their_plain_names()
    {
        string[] Hints(string declarations) => GeneratorHarness.Generate(Head + declarations).Select(s => s.HintName).Order(StringComparer.Ordinal).ToArray();
        const string ids = """
            [TypedObjectId] public readonly partial struct WidgetId;
            [TypedObjectId] public readonly partial struct WIDGETID;
            [TypedObjectId] public readonly partial struct GadgetId;
            """;

        var first = Hints(ids);
        Assert.Equal(first, Hints(ids));
        Assert.Contains("Demo.GadgetId.Id.g.cs", first);
        Assert.DoesNotContain("Demo.WidgetId.Id.g.cs", first);
        Assert.Equal(3, first.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void A_dispatcher_attribute_on_two_parts_of_a_partial_class_emits_one_dispatcher()
    {
        var compilation = GeneratorHarness.Compile(Head + """
            [IoctlCommand(0x3B, 0x81, StubName = "AllocA")]
            public partial struct AllocA
            {
                [SizeField] public uint Size;
                [Output, LastMandatory] public IoasId OutId;
            }

            [IoctlDispatcher]
            public sealed partial class DemoFile
            {
                [IoctlHandler(typeof(AllocA))]
                private Errno A(ref AllocA a) { a.OutId = new IoasId(1); return Errno.None; }

                public int Dispatches(IUserMemory memory, ulong argument) => Dispatch(memory, AllocA.Command, argument);
            }

            [IoctlDispatcher]
            public sealed partial class DemoFile
            {
                public int Other => 2;
            }
            """);

        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();

        Assert.Null(result.Exception);
        Assert.Empty(diagnostics);
        Assert.Single(result.GeneratedSources, s => s.HintName == "Demo.DemoFile.Dispatch.g.cs");

        // The attribute twice is the user's error (CS0579) and the only one: the dispatcher was generated once.
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct().ToList();
        Assert.Equal(["CS0579"], errors);
    }

    [Fact]
    public void A_declaration_pasted_twice_with_differing_copies_never_makes_the_generator_throw()
    {
        // Mid-edit: the user pasted the struct and the dispatcher and is changing the copies.
        var compilation = GeneratorHarness.Compile(Head + """
            [IoctlCommand(0x3B, 0x81, StubName = "AllocA")]
            public partial struct AllocA
            {
                [SizeField] public uint Size;
                [Output, LastMandatory] public IoasId OutId;
            }

            [IoctlCommand(0x3B, 0x82, StubName = "AllocA2")]
            public partial struct AllocA
            {
                [SizeField] public uint Size;
                [Output, LastMandatory] public HwptId OutId;
                public ulong Extra;
            }

            [IoctlDispatcher]
            public sealed partial class DemoFile
            {
                [IoctlHandler(typeof(AllocA))]
                private Errno A(ref AllocA a) => Errno.None;
            }

            [IoctlDispatcher]
            public sealed partial class DemoFile
            {
                [IoctlHandler(typeof(AllocA))]
                private Errno A2(ref AllocA a) => Errno.EINVAL;
            }
            """);

        var driver = GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();

        Assert.Null(result.Exception);
        Assert.DoesNotContain(diagnostics, d => d.Id == "CS8785");
        var hints = result.GeneratedSources.Select(s => s.HintName).ToList();
        Assert.Equal(hints.Count, hints.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.True(hints.Count(h => h.EndsWith(".Dispatch.g.cs", StringComparison.Ordinal)) <= 1);
    }
}
