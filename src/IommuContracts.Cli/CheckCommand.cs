using IommuContracts.Cli.Analysis;
using IommuContracts.Cli.CommandLine;
using IommuContracts.Cli.Diff;
using IommuContracts.Cli.Findings;
using IommuContracts.Cli.Inputs;
using IommuContracts.Cli.Reporting;

namespace IommuContracts.Cli;

/// <summary>
/// The whole run of iommufd-check, with its streams passed in so tests call it in-process: parse the command line,
/// resolve the --diff range first (a bad range fails fast), load and check every input, then write the report and
/// return the exit code (see <see cref="ExitCodes"/>).
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
        var kind = InputKinds.Classify(inputPath);
        var inputDirectory = kind == InputKind.Folder ? inputPath : Path.GetDirectoryName(inputPath)!;
        var changedLines = options.DiffRange is null ? null : GitDiff.Load(inputDirectory, options.DiffRange);

        progress.Report("loading the IommuContracts generator and analyzers");
        var catalog = AnalyzerCatalog.LoadShipped();
        progress.Detail($"{catalog.Generators.Length} generator(s), {catalog.Analyzers.Length} analyzer(s), {catalog.Descriptors.Length} rule(s)");

        var outcomes = new List<CheckOutcome>();
        foreach (var input in InputLoader.Load(kind, inputPath, options.Configuration, progress))
        {
            outcomes.Add(await Checker.CheckAsync(input, catalog, progress, CancellationToken.None).ConfigureAwait(false));
        }

        var root = RepositoryRoot.Find(inputDirectory);
        if (outcomes.Any(outcome => outcome.CompileErrors.Count > 0))
        {
            await ReportCompileErrorsAsync(outcomes, root, stderr).ConfigureAwait(false);
            return ExitCodes.InputDoesNotCompile;
        }

        var findings = outcomes
            .SelectMany(outcome => outcome.Findings)
            .Where(finding => changedLines?.Contains(finding) ?? true)
            .Distinct()
            .OrderBy(f => f.FilePath, StringComparer.Ordinal)
            .ThenBy(f => f.StartLine)
            .ThenBy(f => f.StartColumn)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList();
        var rules = catalog.Descriptors.Select(RuleInfo.From)
            .Concat(outcomes.SelectMany(outcome => outcome.ReportedRules))
            .DistinctBy(rule => rule.Id, StringComparer.Ordinal)
            .ToList();
        var report = new CheckReport(
            rules,
            findings,
            root,
            Describe(root, inputPath),
            options.DiffRange,
            outcomes.Sum(outcome => outcome.SourceFileCount));

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

        return findings.Any(finding => options.FailOn.IsReachedBy(finding.Severity))
            ? ExitCodes.FindingsAtOrAboveThreshold
            : ExitCodes.Clean;
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
                $"iommufd-check: error: '{outcome.InputName}' does not compile ({errors.Count} compiler error{(errors.Count == 1 ? "" : "s")}); fix them first:")
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
