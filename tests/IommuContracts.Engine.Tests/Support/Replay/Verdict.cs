namespace IommuContracts.Engine.Tests.Support.Replay;

/// <summary>The result of comparing the runs of one scenario on two hosts.</summary>
public enum Verdict
{
    /// <summary>Same steps, same results, same ending.</summary>
    Agree,

    /// <summary>A step (or the ending) differs.</summary>
    Disagree,

    /// <summary>One side could not run it; nothing was compared.</summary>
    Skipped,
}
