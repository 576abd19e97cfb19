namespace IommuContracts.Analyzers.Tests.Shapes;

/// <summary>
/// Every realistic-shapes snippet runs on the engine, which confirms its label: an OK snippet runs clean (no
/// violation, the expected errno, nothing left bound, pinned or alive after teardown, no kernel warning); a
/// BUG snippet misbehaves the way its rule says (the violation with the rule's ID, the kernel's errno, or a
/// leak at teardown).
/// </summary>
public class ShapeLabelTests
{
    public static TheoryData<string> Snippets() => ShapeCatalog.Ids();

    [Theory]
    [MemberData(nameof(Snippets))]
    public void The_engine_confirms_the_label(string id)
    {
        var snippet = ShapeCatalog.Get(id);
        var run = ShapeCompiler.Run(snippet);
        var problems = snippet.Runtime.Mismatches(run, snippet);
        Assert.True(problems.Count == 0, $"{id} is labelled {snippet.Label} ({snippet.Runtime.Outcome} {snippet.Runtime.Argument}) but on the engine: {string.Join("; ", problems)}");
    }
}
