namespace IommuContracts.Analyzers.Tests.Twins;

/// <summary>What a twin half must have done at run time.</summary>
public static class TwinAssert
{
    public static void Violates(TwinRun run, string rule)
    {
        Assert.NotNull(run.Violation);
        Assert.Equal(rule, run.Violation!.RuleId);
    }

    public static void Returns(TwinRun run, Errno errno)
    {
        Assert.Null(run.Violation);
        Assert.Equal(errno, run.Result);
    }
}
