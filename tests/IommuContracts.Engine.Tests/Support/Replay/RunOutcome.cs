namespace IommuContracts.Engine.Tests.Support.Replay;

/// <summary>How one run of a scenario on one host ended.</summary>
public enum RunOutcome
{
    /// <summary>Every step ran and every assertion held.</summary>
    Completed,

    /// <summary>An assertion (or an unexpected exception) stopped the run; the steps up to it are recorded.</summary>
    Failed,

    /// <summary>The host cannot run it (a simulated-only facility, or memory the host cannot provide).</summary>
    Skipped,
}
