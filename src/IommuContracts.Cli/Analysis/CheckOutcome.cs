using IommuContracts.Cli.Findings;

namespace IommuContracts.Cli.Analysis;

/// <summary>
/// What checking one input produced: compiler errors (if any, the findings are not computed) or the findings,
/// plus the number of source files checked.
/// </summary>
internal sealed record CheckOutcome(string InputName, IReadOnlyList<Finding> CompileErrors, IReadOnlyList<Finding> Findings, int SourceFileCount);
