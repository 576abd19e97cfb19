namespace IommuContracts.Package.Tests.Support;

/// <summary>
/// The IommuContractsAnalysisMode presets that are files (default is none: each rule keeps its own severity), and
/// the text each must have for a given set of rule IDs.
/// </summary>
public static class AnalysisModePresets
{
    public static readonly IReadOnlyList<(string Mode, string Severity, string Description)> Files =
    [
        ("none", "none", "off"),
        ("all-warnings", "warning", "a warning"),
        ("all-errors", "error", "an error"),
    ];

    /// <summary>
    /// The severity a preset gives one rule: the preset's own, except that all-errors keeps the internal-error
    /// rule (IOMMU0000, an analyzer bug) a warning, so a crash in an analyzer never breaks a user's build.
    /// </summary>
    public static string SeverityFor(string presetSeverity, string ruleId)
        => presetSeverity == "error" && ruleId == "IOMMU0000" ? "warning" : presetSeverity;

    public static string RepositoryFile(string mode) => RepositoryPaths.Of("src", "IommuContracts", "buildTransitive", "config", mode + ".globalconfig");

    public static string PackagePath(string mode) => $"buildTransitive/config/{mode}.globalconfig";

    public static string Render(string mode, string severity, string description, IEnumerable<string> ruleIds)
    {
        var lines = new List<string>
        {
            $"# IommuContractsAnalysisMode={mode}: every IommuContracts rule (IOMMU*, IOMMUGEN*) is {description}.",
            "# Generated from the rule descriptors in this package's analyzers; tests/IommuContracts.Package.Tests keeps it in sync",
            "# (IOMMU_ACCEPT_PRESETS=1 dotnet test tests/IommuContracts.Package.Tests rewrites it).",
            "is_global = true",
            "# Below the default level (0) of any global config a project adds itself, so the project's own settings win.",
            "global_level = -1",
            string.Empty,
        };
        if (severity == "error")
        {
            lines.Insert(lines.Count - 1, "# IOMMU0000 (an analyzer failed) stays a warning: an analyzer bug must not break the build.");
        }

        lines.AddRange(ruleIds.Order(StringComparer.Ordinal).Select(id => $"dotnet_diagnostic.{id}.severity = {SeverityFor(severity, id)}"));
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>The rule → severity entries of a global config file.</summary>
    public static Dictionary<string, string> ParseSeverities(string text)
        => text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("dotnet_diagnostic.", StringComparison.Ordinal))
            .Select(line => line.Split('=', 2))
            .ToDictionary(
                parts => parts[0].Trim()["dotnet_diagnostic.".Length..^".severity".Length],
                parts => parts[1].Trim(),
                StringComparer.Ordinal);
}
