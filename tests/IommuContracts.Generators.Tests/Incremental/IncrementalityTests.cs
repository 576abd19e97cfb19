using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using IommuContracts.Generators.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace IommuContracts.Generators.Tests.Incremental;

/// <summary>
/// Caching is asserted, not hoped for: unrelated edits leave every tracked step Cached or Unchanged, a
/// changed declaration modifies exactly its own outputs, no step output holds a symbol, syntax node or
/// compilation, and the driver does not keep an old compilation alive.
/// </summary>
public class IncrementalityTests
{
    // How each demo file starts, down to a blank line (a raw string drops its last line break, hence two).
    private const string Head = """
        using IommuContracts;
        using IommuContracts.Contracts;

        namespace Demo;


        """;

    private const string StructA = Head + """
        [IoctlCommand(0x3B, 0x81, StubName = "AllocA")]
        public partial struct AllocA
        {
            [SizeField] public uint Size;
            [Output, LastMandatory] public IoasId OutId;
        }
        """;

    private const string StructB = Head + """
        [IoctlCommand(0x3B, 0x82, StubName = "AllocB")]
        public partial struct AllocB
        {
            [SizeField] public uint Size;
            [Output, LastMandatory] public HwptId OutId;
        }
        """;

    private const string Rest = Head + """
        [TypedObjectId]
        public readonly partial struct WidgetId;

        [TypedObjectId(typeof(WidgetId), typeof(IoasId))]
        public readonly partial struct AnyWidgetId;

        [IoctlCommand(0x3B, 0x83, StubName = "JoinC")]
        public partial struct JoinC
        {
            [SizeField] public uint Size;
            [InOut(OutputType = typeof(WidgetId)), LastMandatory] public AnyWidgetId Target;
        }

        [IoctlDispatcher]
        public sealed partial class DemoFile
        {
            [IoctlHandler(typeof(AllocA))]
            private Errno A(ref AllocA a) { a.OutId = new IoasId(1); return Errno.None; }

            [IoctlHandler(typeof(AllocB))]
            private Errno B(ref AllocB b) => Errno.None;
        }

        [IommufdObjectBase]
        public abstract partial class DemoObject { }

        [IommufdObject(typeof(WidgetId), Kind = 1)]
        public sealed partial class Widget : DemoObject { public void Destroy() { } }

        [IommufdObjectTable(typeof(DemoObject))]
        public sealed partial class DemoTable
        {
            private partial Errno LookupCore<TObject>(uint id, ObjectKind kind, out TObject? value) where TObject : DemoObject
            {
                value = null;
                return Errno.ENOENT;
            }
        }
        """;

    private static readonly string[] OurSteps = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void A_second_run_on_a_clone_is_fully_cached()
        => AssertEditIsFullyCached(compilation => compilation.Clone());

    [Fact]
    public void Adding_an_unrelated_type_leaves_every_step_cached_or_unchanged()
        => AssertEditIsFullyCached(compilation => compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Other; public class Unrelated { public int X => 1; }", GeneratorHarness.ParseOptions)));

    [Fact]
    public void Editing_a_method_body_next_to_declarations_leaves_every_step_cached_or_unchanged()
        => AssertEditIsFullyCached(compilation =>
        {
            var oldTree = compilation.SyntaxTrees.ElementAt(2);
            var newTree = oldTree.WithChangedText(oldTree.GetText().Replace(oldTree.ToString().IndexOf("new IoasId(1)", StringComparison.Ordinal), "new IoasId(1)".Length, "new IoasId(2)"));
            return compilation.ReplaceSyntaxTree(oldTree, newTree);
        });

    [Fact]
    public void Changing_one_declaration_modifies_exactly_its_outputs()
    {
        var compilation = CompileDemo();
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var oldTree = compilation.SyntaxTrees.First();
        var changed = StructA.Replace("[Output, LastMandatory] public IoasId OutId;", "[Output, LastMandatory] public IoasId OutId;\n    public ulong Extra;", StringComparison.Ordinal);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(oldTree, CSharpSyntaxTree.ParseText(changed, GeneratorHarness.ParseOptions, path: oldTree.FilePath)));

        var result = driver.GetRunResult().Results.Single();
        var structs = result.TrackedSteps[TrackingNames.IoctlStructs].SelectMany(s => s.Outputs).ToList();
        Assert.Single(structs, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(structs.Where(o => o.Reason != IncrementalStepRunReason.Modified),
            o => Assert.Contains(o.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));

        var outputs = result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.Single(outputs, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.DoesNotContain(outputs, o => o.Reason == IncrementalStepRunReason.New);
        Assert.Contains(result.GeneratedSources, s => s.HintName == "Demo.AllocA.Ioctl.g.cs" && s.SourceText.ToString().Contains("NativeSize = 16", StringComparison.Ordinal));
    }

    [Fact]
    public void No_step_output_holds_a_symbol_syntax_node_or_compilation()
    {
        var result = GeneratorHarness.CreateDriver().RunGenerators(CompileDemo()).GetRunResult().Results.Single();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var walked = 0;
        foreach (var step in result.TrackedSteps.Where(s => OurSteps.Contains(s.Key)).SelectMany(s => s.Value))
        {
            foreach (var (value, _) in step.Outputs)
            {
                walked++;
                AssertNoBannedTypes(value, seen, $"step output of {step.Name}");
            }
        }

        Assert.True(walked >= 6, "the walk must have visited the outputs of our tracked steps");
    }

    [Fact]
    public void A_later_run_does_not_keep_the_previous_compilation_alive()
    {
        var (weak, driver) = RunTwiceAndReturnTheFirstCompilation();
        for (var i = 0; i < 3 && weak.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(weak.IsAlive);
        GC.KeepAlive(driver);
    }

    // Both runs happen here so that no hidden local of the test method roots the first driver.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference First, GeneratorDriver Latest) RunTwiceAndReturnTheFirstCompilation()
    {
        var first = CompileDemo();
        var second = first.AddSyntaxTrees(CSharpSyntaxTree.ParseText("struct NewType { }", GeneratorHarness.ParseOptions));
        var driver = GeneratorHarness.CreateDriver().RunGenerators(first);
        var latest = driver.RunGenerators(second);
        AssertOnlyCachedOrUnchanged(latest.GetRunResult());
        return (new WeakReference(first), latest);
    }

    private static CSharpCompilation CompileDemo() => GeneratorHarness.Compile(StructA, StructB, Rest);

    /// <summary>Runs the generator on the demo, then again after <paramref name="edit"/>: nothing may be recomputed.</summary>
    private static void AssertEditIsFullyCached(Func<CSharpCompilation, CSharpCompilation> edit)
    {
        var compilation = CompileDemo();
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        driver = driver.RunGenerators(edit(compilation));

        AssertOnlyCachedOrUnchanged(driver.GetRunResult());
        AssertAllOutputsCached(driver.GetRunResult());
    }

    private static void AssertOnlyCachedOrUnchanged(GeneratorDriverRunResult run)
    {
        var result = run.Results.Single();
        var checkedSteps = 0;
        foreach (var name in OurSteps)
        {
            if (!result.TrackedSteps.TryGetValue(name, out var steps))
            {
                continue;
            }

            foreach (var output in steps.SelectMany(s => s.Outputs))
            {
                checkedSteps++;
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {output.Reason}");
            }
        }

        Assert.True(checkedSteps >= 6, "every tracked step must have run");
    }

    private static void AssertAllOutputsCached(GeneratorDriverRunResult run)
    {
        var outputs = run.Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    private static void AssertNoBannedTypes(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(value is Compilation or ISymbol or SyntaxNode or SyntaxTree or SemanticModel or Location,
            $"{path} holds a {value.GetType().Name}");
        if (value is IEnumerable items)
        {
            var index = 0;
            foreach (var item in items)
            {
                AssertNoBannedTypes(item, seen, $"{path}[{index++}]");
            }
        }

        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoBannedTypes(field.GetValue(value), seen, $"{path}.{field.Name}");
        }
    }
}
