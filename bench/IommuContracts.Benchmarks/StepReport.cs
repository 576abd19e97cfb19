using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Benchmarks;

/// <summary>
/// <c>--steps</c>: runs the edit scenarios of <see cref="GeneratorBenchmarks"/> a few times with step tracking on
/// and prints, for every pipeline step (ours and Roslyn's internal ones), how many outputs were New, Modified,
/// Unchanged, Cached or Removed, and the time Roslyn recorded for the step. This is how to see which step re-ran
/// after an edit; its wall-clock times are indicative only (tracking on, no statistics).
/// </summary>
public static class StepReport
{
    private const int Repetitions = 5;

    public static void Write(TextWriter output)
    {
        var workspace = SyntheticWorkspace.Create(output);
        Scenario(output, workspace, "one-line edit in a method body of an unrelated file", workspace.BodyEdit);
        Scenario(output, workspace, "one field of one ioctl struct renamed", workspace.DeclarationEdit);
    }

    private static void Scenario(TextWriter output, SyntheticWorkspace workspace, string title, FileEdit edit)
    {
        // Repeated so the JIT has warmed up; the step table is the last repetition's, the times are the best ones.
        GeneratorDriver driver = null!;
        var first = TimeSpan.MaxValue;
        var second = TimeSpan.MaxValue;
        for (var repetition = 0; repetition < Repetitions; repetition++)
        {
            var compilation = workspace.CreateInputCompilation();
            var clock = Stopwatch.StartNew();
            driver = SyntheticWorkspace.CreateDriver(trackSteps: true).RunGenerators(compilation);
            first = Min(first, clock.Elapsed);
            var edited = compilation.ReplaceSyntaxTree(edit.Original, edit.Edited);
            clock.Restart();
            driver = driver.RunGenerators(edited);
            second = Min(second, clock.Elapsed);
        }

        output.WriteLine();
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"## After {title} ({edit.Original.FilePath}); best of {Repetitions}, tracking on: full run {first.TotalMilliseconds:F0} ms, run after the edit {second.TotalMilliseconds:F0} ms"));
        var result = driver.GetRunResult().Results.Single();
        output.WriteLine("| step | runs | New | Modified | Unchanged | Cached | Removed | step time (ms) |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, steps) in result.TrackedSteps.Concat(result.TrackedOutputSteps).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var outputs = steps.SelectMany(s => s.Outputs).ToList();
            int Count(IncrementalStepRunReason reason) => outputs.Count(o => o.Reason == reason);
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {name} | {steps.Length} | {Count(IncrementalStepRunReason.New)} | {Count(IncrementalStepRunReason.Modified)} | " +
                $"{Count(IncrementalStepRunReason.Unchanged)} | {Count(IncrementalStepRunReason.Cached)} | {Count(IncrementalStepRunReason.Removed)} | " +
                $"{steps.Sum(s => s.ElapsedTime.TotalMilliseconds):F1} |"));
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
