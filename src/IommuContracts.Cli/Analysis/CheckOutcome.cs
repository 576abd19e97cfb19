using IommuContracts.Cli.Findings;

namespace IommuContracts.Cli.Analysis;

/// <summary>
/// What checking one input produced: its compiler errors and those of the projects it references (the findings are
/// computed anyway, over what binds, and may then be incomplete), the findings,
/// the rules of those findings (so a rule outside the catalog, such as AD0001 for an analyzer that threw, still has
/// metadata), and the number of source files checked.
/// </summary>
internal sealed record CheckOutcome(
    string InputName,
    IReadOnlyList<Finding> CompileErrors,
    IReadOnlyList<Finding> Findings,
    IReadOnlyList<RuleInfo> ReportedRules,
    int SourceFileCount);
