namespace IommuContracts.Engine.Tests.Support.Replay;

/// <summary>
/// What one run of a scenario on one host produced: its steps (one line each, addresses and fds named so two
/// hosts print the same text), how it ended, and the message of the assertion, exception or skip.
/// </summary>
public sealed record ScenarioRun(string Host, IReadOnlyList<string> Steps, RunOutcome Outcome, string? Message)
{
    /// <summary>The first line of <see cref="Message"/>, for one-line reports.</summary>
    public string Summary => Message is null ? Outcome.ToString() : $"{Outcome}: {Message.Split('\n')[0].Trim()}";
}
