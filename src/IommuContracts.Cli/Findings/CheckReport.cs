namespace IommuContracts.Cli.Findings;

/// <summary>
/// Everything a report writer needs: the rules that ran (SARIF lists them even without results), the findings
/// in a stable order, the directory that paths are shown relative to, and what was checked.
/// </summary>
internal sealed record CheckReport(
    IReadOnlyList<RuleInfo> Rules,
    IReadOnlyList<Finding> Findings,
    string RootDirectory,
    string InputDescription,
    string? DiffRange,
    int SourceFileCount)
{
    /// <summary>Compiler errors of the input and its references: non-zero means the findings may be incomplete.</summary>
    public int CompileErrorCount { get; init; }

    /// <summary>Whether the findings were compared with the --diff base (then each is new or pre-existing).</summary>
    public bool ComparedWithBase => Findings.Any(f => f.Status != FindingStatus.Unknown);

    public RuleInfo? FindRule(string id) => Rules.FirstOrDefault(rule => rule.Id == id);

    /// <summary>A path relative to <see cref="RootDirectory"/> with '/' separators, or the absolute path when outside it.</summary>
    public string DisplayPath(string path)
    {
        var relative = Path.GetRelativePath(RootDirectory, path);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return path.Replace('\\', '/');
        }

        return relative.Replace('\\', '/');
    }
}
