using IommuContracts.Engine.Tests.Fuzz.Sequences;
using IommuContracts.Engine.Tests.Support.Replay;

namespace IommuContracts.Replay;

/// <summary>
/// Prints the replay: one line per scenario (agreeing ones only with --verbose), every disagreement in full with
/// the steps before it, per-group totals "compared / skipped / disagreeing", and the closing
/// "N passed, N failed, N skipped" line realhost counts. The same text goes to replay.log in the output folder.
/// </summary>
internal sealed class ReplayReport : IDisposable
{
    private readonly StreamWriter? _log;
    private readonly bool _verbose;
    private readonly bool _trace;
    private int _agree;
    private int _disagree;
    private int _skipped;

    public ReplayReport(string? outputFolder, bool verbose, bool trace)
    {
        _verbose = verbose;
        _trace = trace;
        if (!string.IsNullOrEmpty(outputFolder))
        {
            Directory.CreateDirectory(outputFolder);
            _log = new StreamWriter(Path.Combine(outputFolder, "replay.log"));
        }
    }

    public void Line(string text)
    {
        Console.WriteLine(text);
        _log?.WriteLine(text);
    }

    /// <summary>Every scenario's line goes to the log; the console gets disagreements, skips and (verbose) agreements.</summary>
    public void Scenarios(string group, IEnumerable<Comparison> comparisons)
    {
        int agree = 0, disagree = 0, skipped = 0;
        foreach (var comparison in comparisons)
        {
            switch (comparison.Verdict)
            {
                case Verdict.Agree:
                    agree++;
                    break;
                case Verdict.Disagree:
                    disagree++;
                    break;
                default:
                    skipped++;
                    break;
            }

            Emit(comparison.Describe(), comparison.Verdict != Verdict.Agree || _verbose);
            Trace(comparison);
        }

        Totals(group, agree, disagree, skipped);
    }

    /// <summary>Runs the sequences; each disagreement is minimised (ddmin over steps) and printed with its steps.</summary>
    public void Sequences(int count, int firstSeed, int length, ReplaySide engine, ReplaySide other, bool stats)
    {
        int agree = 0, disagree = 0, skipped = 0;
        var outcomes = new StepStatistics();
        for (var i = 0; i < count; i++)
        {
            var sequence = SequenceGenerator.Generate(firstSeed + i, length);
            var comparison = SequenceReplay.Compare(sequence, engine, other);
            outcomes.Add(comparison.Left.Steps);
            Trace(comparison);
            switch (comparison.Verdict)
            {
                case Verdict.Agree:
                    agree++;
                    Emit(comparison.Describe(), _verbose);
                    break;
                case Verdict.Skipped:
                    skipped++;
                    Emit(comparison.Describe(), true);
                    break;
                default:
                    disagree++;
                    var (minimal, minimised) = SequenceReplay.Minimise(sequence, engine, other);
                    Emit(minimised.Describe(), true);
                    Emit($"    minimal sequence ({minimal.Steps.Count} of {sequence.Steps.Count} steps; rerun it alone: the same options with --no-selftests --seed {sequence.Seed} --sequences 1 --length {length}):\n{minimal.Describe()}", true);
                    break;
            }
        }

        Totals("sequences", agree, disagree, skipped);
        if (stats)
        {
            Line(outcomes.Describe());
        }
    }

    /// <summary>Prints the closing count line and returns the exit code.</summary>
    public int Finish()
    {
        Line($"{_agree} passed, {_disagree} failed, {_skipped} skipped");
        return _disagree == 0 ? 0 : 1;
    }

    public void Dispose() => _log?.Dispose();

    private void Totals(string group, int agree, int disagree, int skipped)
    {
        _agree += agree;
        _disagree += disagree;
        _skipped += skipped;
        Line($"{group}: compared {agree + disagree} / skipped {skipped} / disagreeing {disagree}");
    }

    private void Trace(Comparison comparison)
    {
        if (_trace)
        {
            Emit(string.Join('\n', comparison.Left.Steps.Select((step, i) => $"      {i + 1,4}  {step}")), true);
        }
    }

    private void Emit(string text, bool console)
    {
        text = text.TrimEnd('\n');
        if (console)
        {
            Console.WriteLine(text);
        }

        _log?.WriteLine(text);
    }
}
