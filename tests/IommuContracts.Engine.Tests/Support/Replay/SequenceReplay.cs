using IommuContracts.Engine.Tests.Fuzz.Sequences;
using IommuContracts.Engine.Tests.Support.Hosts;
using IommuContracts.Engine.Tests.Support.Recording;

namespace IommuContracts.Engine.Tests.Support.Replay;

/// <summary>Runs random sequences on two sides, compares them step by step and minimises a disagreement.</summary>
public static class SequenceReplay
{
    /// <summary>Runs <paramref name="sequence"/> on a fresh process of <paramref name="side"/>, recorded.</summary>
    public static ScenarioRun Run(Sequence sequence, ReplaySide side)
    {
        var recorder = new RecordingProcessHost(side.Create());
        try
        {
            new SequenceRun(recorder).Execute(sequence);
            return new ScenarioRun(side.Name, recorder.Steps.ToList(), RunOutcome.Completed, null);
        }
        catch (Exception e) when (e is HostUnsupportedException or SimulatedOnlyException)
        {
            return new ScenarioRun(side.Name, recorder.Steps.ToList(), RunOutcome.Skipped, e.Message);
        }
        catch (Exception e)
        {
            // Nothing from user space may make the engine throw: this is a finding in itself.
            return new ScenarioRun(side.Name, recorder.Steps.ToList(), RunOutcome.Failed, $"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            recorder.Dispose();
        }
    }

    /// <summary>
    /// Runs <paramref name="sequence"/> on both sides and compares. A sequence has no assertions, so a run that
    /// ended in an exception (the engine threw for user input, or the host failed) is a disagreement even when both
    /// sides threw alike.
    /// </summary>
    public static Comparison Compare(Sequence sequence, ReplaySide left, ReplaySide right)
    {
        var scenario = $"sequence seed {sequence.Seed}";
        var leftRun = Run(sequence, left);
        var rightRun = Run(sequence, right);
        var compared = Comparison.Of(scenario, leftRun, rightRun);
        if (compared.Verdict == Verdict.Agree && leftRun.Outcome == RunOutcome.Failed)
        {
            return compared with { Verdict = Verdict.Disagree, Reason = $"both runs threw after step {leftRun.Steps.Count}: {leftRun.Summary}", FirstDifference = leftRun.Steps.Count };
        }

        return compared;
    }

    /// <summary>
    /// The smallest sub-sequence (by ddmin over steps) that still makes the sides disagree, with its comparison.
    /// Returns the input unchanged when it does not disagree.
    /// </summary>
    public static (Sequence Sequence, Comparison Comparison) Minimise(Sequence sequence, ReplaySide left, ReplaySide right, int maxTests = 400)
    {
        var full = Compare(sequence, left, right);
        if (full.Verdict != Verdict.Disagree)
        {
            return (sequence, full);
        }

        var kept = DeltaDebugging.Minimise(sequence.Steps.Count, indices => Compare(sequence.Keep(indices), left, right).Verdict == Verdict.Disagree, maxTests);
        var minimal = sequence.Keep(kept);
        return (minimal, Compare(minimal, left, right));
    }
}
