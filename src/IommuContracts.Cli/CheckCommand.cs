using IommuContracts.Cli.Analysis;
using IommuContracts.Cli.CommandLine;
using IommuContracts.Cli.Diff;
using IommuContracts.Cli.Findings;
using IommuContracts.Cli.Inputs;
using IommuContracts.Cli.Reporting;

namespace IommuContracts.Cli;

/// <summary>
/// The whole run of iommufd-check, with its streams passed in so tests call it in-process: parse the command line,
/// resolve the input (a folder holding one project is that project) and the --diff range (a bad range fails fast),
/// load and check every input (compile errors are reported and the analyzers still run), compare the findings of a
/// --diff with its base revision, then write the report and return the exit code (see <see cref="ExitCodes"/>).
/// </summary>
internal static class CheckCommand
{
    private const int MaxCompileErrorsShown = 10;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, bool showProgress)
    {
        var parsed = OptionParser.Parse(args);
        if (parsed.ShowHelp)
        {
            await stdout.WriteAsync(HelpText.Usage + "\n").ConfigureAwait(false);
            return ExitCodes.Clean;
        }

        if (parsed.ShowVersion)
        {
            await stdout.WriteLineAsync(ToolVersion.Value).ConfigureAwait(false);
            return ExitCodes.Clean;
        }

        if (parsed.Options is not { } options)
        {
            await stderr.WriteLineAsync($"iommufd-check: error: {parsed.Error}\nRun 'iommufd-check --help' for usage.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        var progress = new Progress(stderr, showProgress, options.Verbose);
        try
        {
            return await CheckAsync(options, stdout, stderr, progress).ConfigureAwait(false);
        }
        catch (InputLoadException e)
        {
            await stderr.WriteLineAsync($"iommufd-check: error: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stderr.WriteLineAsync($"iommufd-check: internal error, please report it: {e}").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
    }

    private static async Task<int> CheckAsync(CheckOptions options, TextWriter stdout, TextWriter stderr, Progress progress)
    {
        var inputPath = Path.GetFullPath(options.InputPath);
        var input = InputKinds.Resolve(inputPath);
        if (input.Path != inputPath)
        {
            progress.Report($"{Describe(inputPath, input.Path)} is the project in that folder");
        }

        var inputDirectory = input.Kind == InputKind.Folder ? input.Path : Path.GetDirectoryName(input.Path)!;
        var changedLines = options.DiffRange is null ? null : GitDiff.Load(inputDirectory, options.DiffRange);

        progress.Report("loading the IommuContracts generator and analyzers");
        var catalog = AnalyzerCatalog.LoadShipped();
        progress.Detail($"{catalog.Generators.Length} generator(s), {catalog.Analyzers.Length} analyzer(s), {catalog.Descriptors.Length} rule(s)");

        var outcomes = await CheckInputAsync(input, options.Configuration, catalog, progress).ConfigureAwait(false);
        var root = RepositoryRoot.Find(inputDirectory);
        var compileErrors = outcomes.SelectMany(outcome => outcome.CompileErrors).Distinct().ToList();
        if (compileErrors.Count > 0)
        {
            await ReportCompileErrorsAsync(outcomes, root, stderr).ConfigureAwait(false);
        }

        IReadOnlyList<Finding> findings = outcomes
            .SelectMany(outcome => outcome.Findings)
            .Where(finding => changedLines?.Contains(finding) ?? true)
            .Distinct()
            .OrderBy(f => f.FilePath, StringComparer.Ordinal)
            .ThenBy(f => f.StartLine)
            .ThenBy(f => f.StartColumn)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList();
        if (options.DiffRange is not null && findings.Count > 0)
        {
            findings = await CompareWithBaseAsync(findings, input, options, catalog, progress, stderr).ConfigureAwait(false);
        }

        var rules = catalog.Descriptors.Select(RuleInfo.From)
            .Concat(outcomes.SelectMany(outcome => outcome.ReportedRules))
            .DistinctBy(rule => rule.Id, StringComparer.Ordinal)
            .ToList();
        var report = new CheckReport(
            rules,
            findings,
            root,
            Describe(root, input.Path),
            options.DiffRange,
            outcomes.Sum(outcome => outcome.SourceFileCount))
        {
            CompileErrorCount = compileErrors.Count,
        };

        var rendered = options.Format switch
        {
            ReportFormat.Sarif => SarifReport.Render(report),
            ReportFormat.Markdown => MarkdownReport.Render(report),
            _ => TableReport.Render(report),
        };
        if (options.OutputPath is null)
        {
            await stdout.WriteAsync(rendered).ConfigureAwait(false);
        }
        else
        {
            await File.WriteAllTextAsync(options.OutputPath, rendered).ConfigureAwait(false);
            progress.Report($"wrote {findings.Count} finding(s) to {options.OutputPath}");
        }

        // With a base to compare with, only what the change brings in fails the run.
        if (findings.Where(f => f.Status != FindingStatus.PreExisting).Any(finding => options.FailOn.IsReachedBy(finding.Severity)))
        {
            return ExitCodes.FindingsAtOrAboveThreshold;
        }

        return compileErrors.Count > 0 ? ExitCodes.InputDoesNotCompile : ExitCodes.Clean;
    }

    private static async Task<IReadOnlyList<CheckOutcome>> CheckInputAsync(ResolvedInput input, string configuration, AnalyzerCatalog catalog, Progress progress)
    {
        var compiled = new CompiledInputs(catalog, progress);
        var outcomes = new List<CheckOutcome>();
        foreach (var checkInput in InputLoader.Load(input.Kind, input.Path, configuration, progress))
        {
            outcomes.Add(await Checker.CheckAsync(checkInput, compiled, catalog, progress, CancellationToken.None).ConfigureAwait(false));
        }

        return outcomes;
    }

    // Checks the same input in a work tree of the diff's base revision and marks each finding new or pre-existing.
    // When the base cannot be checked the findings stay unmarked (and all count), with a note saying why.
    private static async Task<IReadOnlyList<Finding>> CompareWithBaseAsync(
        IReadOnlyList<Finding> findings, ResolvedInput input, CheckOptions options, AnalyzerCatalog catalog, Progress progress, TextWriter stderr)
    {
        var top = GitDiff.RepositoryTop(input.Kind == InputKind.Folder ? input.Path : Path.GetDirectoryName(input.Path)!);
        var baseCommit = GitDiff.BaseCommit(top, options.DiffRange!);
        var worktree = Path.Combine(Path.GetTempPath(), "iommufd-check-base-" + Guid.NewGuid().ToString("N")[..12]);
        progress.Report($"checking the base revision {baseCommit[..Math.Min(12, baseCommit.Length)]} to tell new findings from old ones");
        try
        {
            GitDiff.AddWorktree(top, worktree, baseCommit);
            var basePath = Path.Combine(worktree, Path.GetRelativePath(top, input.Path));
            if (!Path.Exists(basePath))
            {
                return Baseline.Mark(findings, []);
            }

            var baseInput = InputKinds.Resolve(basePath);
            var baseOutcomes = await CheckInputAsync(baseInput, options.Configuration, catalog, progress).ConfigureAwait(false);
            return Baseline.Mark(findings, baseOutcomes.SelectMany(outcome => outcome.Findings).ToList());
        }
        catch (InputLoadException e)
        {
            await stderr.WriteLineAsync($"iommufd-check: note: the base revision {baseCommit} could not be checked, so findings are not marked new or pre-existing: {e.Message}").ConfigureAwait(false);
            return findings;
        }
        finally
        {
            GitDiff.RemoveWorktree(top, worktree);
        }
    }

    // The input as the reader knows it: relative to the repository root, or its own name when it is the root.
    private static string Describe(string root, string inputPath)
    {
        var relative = Path.GetRelativePath(root, inputPath).Replace('\\', '/');
        return relative == "." ? Path.GetFileName(inputPath) : relative;
    }

    private static async Task ReportCompileErrorsAsync(IEnumerable<CheckOutcome> outcomes, string root, TextWriter stderr)
    {
        foreach (var outcome in outcomes.Where(o => o.CompileErrors.Count > 0))
        {
            var errors = outcome.CompileErrors;
            await stderr.WriteLineAsync(
                $"iommufd-check: warning: '{outcome.InputName}' does not compile ({errors.Count} compiler error{(errors.Count == 1 ? "" : "s")}); "
                + "the analyzers ran over what binds, so the findings may be incomplete:")
                .ConfigureAwait(false);
            foreach (var error in errors.Take(MaxCompileErrorsShown))
            {
                var location = error.FilePath is null
                    ? string.Empty
                    : $"{Path.GetRelativePath(root, error.FilePath).Replace('\\', '/')}:{error.StartLine}:{error.StartColumn}: ";
                await stderr.WriteLineAsync($"  {location}error {error.RuleId}: {error.Message}").ConfigureAwait(false);
            }

            if (errors.Count > MaxCompileErrorsShown)
            {
                await stderr.WriteLineAsync($"  (and {errors.Count - MaxCompileErrorsShown} more)").ConfigureAwait(false);
            }
        }
    }
}
