namespace IommuContracts.Analyzers.Tests.Twins;

/// <summary>
/// One runtime twin: the snippet (class Twin with Bad and Fixed, mostly written by <see cref="TwinSource"/>),
/// the method the rule is reported in, and what each half does at run time.
/// </summary>
public sealed record TwinCase(string Source, Action<TwinRun> BadRuns, Action<TwinRun> FixedRuns, string BadMethod = "Bad");
