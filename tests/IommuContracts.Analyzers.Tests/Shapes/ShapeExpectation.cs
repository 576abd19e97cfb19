using System.Reflection;
using IommuContracts.Analyzers.Tests.Twins;
using IommuContracts.Contracts;

namespace IommuContracts.Analyzers.Tests.Shapes;

/// <summary>How a snippet's run on the engine confirms its label.</summary>
public enum ShapeOutcome
{
    /// <summary>No violation, the expected errno (0 unless stated), and after teardown nothing left: no bound device, no context alive, no pinned or locked page, no kernel warning.</summary>
    Clean,

    /// <summary>A <see cref="ContractViolationException"/> with the rule ID.</summary>
    Violation,

    /// <summary>The scenario returns the kernel's errno for the mistake (no violation).</summary>
    Errno,

    /// <summary>After teardown something is still held: a device bound, or the context alive (the canary page stays pinned).</summary>
    Leak,

    /// <summary>The run is otherwise clean and the kernel log has a message containing the text (a security downgrade is logged, not refused).</summary>
    Log,

    /// <summary>The run is clean and the literal on the marked line is the command of a known [IoctlCommand] struct (a hand-packed ioctl the engine dispatched as that command).</summary>
    Command,
}

/// <summary>The <c>// Runtime:</c> line of a snippet: <c>clean [ERRNO]</c>, <c>violation IOMMUxxxx</c>, <c>errno ERRNO</c>, <c>leak</c>, <c>log text</c> or <c>command</c>.</summary>
public sealed record ShapeExpectation(ShapeOutcome Outcome, string? Argument)
{
    public static ShapeExpectation Parse(string text)
    {
        var parts = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var argument = parts.Length > 1 ? parts[1] : null;
        var outcome = parts[0] switch
        {
            "clean" => ShapeOutcome.Clean,
            "violation" => ShapeOutcome.Violation,
            "errno" => ShapeOutcome.Errno,
            "leak" => ShapeOutcome.Leak,
            "log" => ShapeOutcome.Log,
            "command" => ShapeOutcome.Command,
            var other => throw new FormatException($"unknown runtime outcome '{other}'"),
        };
        if (outcome is ShapeOutcome.Violation or ShapeOutcome.Errno or ShapeOutcome.Log && argument is null)
        {
            throw new FormatException($"runtime outcome '{text}' needs an argument");
        }

        if (outcome is ShapeOutcome.Clean or ShapeOutcome.Errno && argument is not null && !Enum.TryParse<Errno>(argument, out _))
        {
            throw new FormatException($"'{argument}' is not an errno");
        }

        return new ShapeExpectation(outcome, argument);
    }

    /// <summary>Whether the outcome is what a correct program does (an OK snippet's only allowed outcome).</summary>
    public bool IsCorrectBehaviour => Outcome is ShapeOutcome.Clean;

    /// <summary>The errno a clean or errno run must return.</summary>
    public Errno ExpectedErrno => Argument is null || Outcome is not (ShapeOutcome.Clean or ShapeOutcome.Errno) ? IommuContracts.Errno.None : Enum.Parse<Errno>(Argument);

    /// <summary>What went differently from this expectation in <paramref name="run"/>; empty when it confirms it.</summary>
    public IReadOnlyList<string> Mismatches(TwinRun run, ShapeSnippet snippet)
    {
        var problems = new List<string>();
        var lab = run.Lab;
        var leftovers = Leftovers(lab);
        switch (Outcome)
        {
            case ShapeOutcome.Clean:
            case ShapeOutcome.Log:
            case ShapeOutcome.Command:
                if (run.Violation is { } violation)
                {
                    problems.Add($"violation {violation.RuleId}: {violation.Message}");
                }
                else if (run.Result != ExpectedErrno && Outcome == ShapeOutcome.Clean)
                {
                    problems.Add($"returned {run.Result}, expected {ExpectedErrno}");
                }
                else if (run.Result != IommuContracts.Errno.None && Outcome != ShapeOutcome.Clean)
                {
                    problems.Add($"returned {run.Result}");
                }

                problems.AddRange(leftovers);
                if (Outcome == ShapeOutcome.Log && !lab.Kernel.Log.Messages.Any(m => m.Contains(Argument!, StringComparison.Ordinal)))
                {
                    problems.Add($"the kernel log has no message with '{Argument}'");
                }

                if (Outcome == ShapeOutcome.Command)
                {
                    problems.AddRange(CommandMismatches(snippet));
                }

                break;
            case ShapeOutcome.Violation:
                if (run.Violation?.RuleId != Argument)
                {
                    problems.Add(run.Violation is { } other ? $"violation {other.RuleId}, expected {Argument}" : $"no violation (returned {run.Result}), expected {Argument}");
                }

                break;
            case ShapeOutcome.Errno:
                if (run.Violation is { } unexpected)
                {
                    problems.Add($"violation {unexpected.RuleId}, expected errno {Argument}");
                }
                else if (run.Result != ExpectedErrno)
                {
                    problems.Add($"returned {run.Result}, expected {Argument}");
                }

                break;
            case ShapeOutcome.Leak:
                if (run.Violation is { } thrown)
                {
                    problems.Add($"violation {thrown.RuleId} instead of a leak");
                }
                else if (lab.BoundDevices == 0 && lab.ContextReleased)
                {
                    problems.Add("nothing leaked: no device stayed bound and the context was released");
                }

                break;
        }

        return problems;
    }

    // What a correct program leaves behind after teardown: nothing.
    private static IEnumerable<string> Leftovers(TwinLab lab)
    {
        if (lab.BoundDevices != 0)
        {
            yield return $"{lab.BoundDevices} device(s) still bound to iommufd after teardown";
        }

        if (!lab.ContextReleased)
        {
            yield return $"the context outlived teardown (pinned {lab.Process.PinnedPages}, locked {lab.Process.LockedPages}, user locked {lab.Process.User.LockedPages})";
        }

        foreach (var warning in lab.Kernel.Log.Warnings)
        {
            yield return "kernel warning: " + warning;
        }
    }

    // IOMMU0104 has no runtime twin: the kernel sees the same command. What the engine can confirm is that the
    // literal on the marked line is a command it dispatches as a typed struct's, and that the run worked.
    private static IEnumerable<string> CommandMismatches(ShapeSnippet snippet)
    {
        var known = typeof(IoctlCommandAttribute).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<IoctlCommandAttribute>() is not null)
            .Select(t => t.GetField("Command", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue())
            .OfType<uint>()
            .ToHashSet();
        var lines = snippet.AnalysedSource.Split('\n');
        foreach (var marker in snippet.Markers)
        {
            var literals = System.Text.RegularExpressions.Regex.Matches(lines[marker.Line - 1].Split("//")[0], @"\b0x[0-9A-Fa-f]+\b")
                .Select(m => Convert.ToUInt32(m.Value[2..], 16));
            if (!literals.Any(known.Contains))
            {
                yield return $"line {marker.Line - ShapeSnippet.PrependedLines} has no literal that is a known ioctl command";
            }
        }
    }
}
