namespace IommuContracts.Analyzers.Tests.Twins;

/// <summary>
/// Each contract rule about run-time behaviour, twice: its bad example is flagged by the analyzers and, run
/// against the engine, raises the engine's violation with the same rule ID or gets the kernel's errno; its
/// fixed example is not flagged and runs clean. (IOMMU0011/0012 are lock rules checked by the engine's own
/// tests; 0015, 0102 and 0104 are about reading results and style, with nothing to observe at run time.)
/// </summary>
public class RuntimeTwinTests
{
    public static TheoryData<string> Rules() => new(Cases.All.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task The_bad_example_is_flagged_and_fails_at_run_time_the_fixed_one_is_clean_and_runs(string rule)
    {
        var twin = Cases.All[rule];
        var (diagnostics, assembly) = await TwinRunner.CompileAsync(twin.Source);
        // The rule, in the bad half only (a rule may fire at more than one place of it: a discarded result and its use).
        Assert.Equal([(rule, twin.BadMethod)], diagnostics.Distinct());

        twin.BadRuns(TwinRunner.Run(assembly, "Bad"));
        var good = TwinRunner.Run(assembly, "Fixed");
        Assert.Null(good.Violation);
        twin.FixedRuns(good);
        Assert.Empty(good.Lab.Kernel.Log.Warnings);
    }
}
