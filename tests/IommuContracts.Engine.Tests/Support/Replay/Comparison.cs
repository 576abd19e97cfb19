using System.Text;

namespace IommuContracts.Engine.Tests.Support.Replay;

/// <summary>
/// Two runs of one scenario compared step by step. A disagreement names the first step that differs and shows
/// both versions of it with the steps before it, which is what someone fixing the engine needs from a log.
/// </summary>
public sealed record Comparison(string Scenario, Verdict Verdict, string Reason, ScenarioRun Left, ScenarioRun Right, int FirstDifference)
{
    private const int ContextSteps = 6;

    /// <summary>Compares <paramref name="left"/> (usually the engine) with <paramref name="right"/> (usually the kernel).</summary>
    public static Comparison Of(string scenario, ScenarioRun left, ScenarioRun right)
    {
        if (left.Outcome == RunOutcome.Skipped || right.Outcome == RunOutcome.Skipped)
        {
            var skipped = left.Outcome == RunOutcome.Skipped ? left : right;
            return new(scenario, Verdict.Skipped, $"{skipped.Host}: {skipped.Message}", left, right, -1);
        }

        var count = Math.Min(left.Steps.Count, right.Steps.Count);
        for (var i = 0; i < count; i++)
        {
            if (!string.Equals(left.Steps[i], right.Steps[i], StringComparison.Ordinal))
            {
                return new(scenario, Verdict.Disagree, $"step {i + 1} differs", left, right, i);
            }
        }

        if (left.Steps.Count != right.Steps.Count)
        {
            return new(scenario, Verdict.Disagree, $"one side stopped after step {count}", left, right, count);
        }

        if (left.Outcome != right.Outcome)
        {
            return new(scenario, Verdict.Disagree, $"same {count} steps, but {left.Host} {left.Summary} and {right.Host} {right.Summary}", left, right, count);
        }

        var reason = left.Outcome == RunOutcome.Failed ? $"both stopped at the same point ({left.Summary})" : $"{count} steps";
        return new(scenario, Verdict.Agree, reason, left, right, -1);
    }

    /// <summary>A readable account: the verdict, then for a disagreement the steps before it and both sides' versions.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(Verdict switch { Verdict.Agree => "agree", Verdict.Disagree => "DISAGREE", _ => "skipped" })
            .Append("  ").Append(Scenario).Append("  (").Append(Reason).Append(')').Append('\n');
        if (Verdict != Verdict.Disagree)
        {
            return text.ToString();
        }

        for (var i = Math.Max(0, FirstDifference - ContextSteps); i < FirstDifference; i++)
        {
            text.Append("      ").Append(i + 1).Append("  ").Append(Left.Steps[i]).Append('\n');
        }

        AppendSide(text, Left);
        AppendSide(text, Right);
        return text.ToString();
    }

    private void AppendSide(StringBuilder text, ScenarioRun run)
    {
        text.Append("    ").Append(run.Host).Append(":\n");
        if (FirstDifference < run.Steps.Count)
        {
            text.Append("    > ").Append(FirstDifference + 1).Append("  ").Append(run.Steps[FirstDifference]).Append('\n');
            if (FirstDifference + 1 < run.Steps.Count)
            {
                text.Append("      ").Append(FirstDifference + 2).Append("  ").Append(run.Steps[FirstDifference + 1]).Append('\n');
            }
        }
        else
        {
            text.Append("    > (no step ").Append(FirstDifference + 1).Append(")\n");
        }

        text.Append("      ending: ").Append(run.Summary).Append('\n');
    }
}
