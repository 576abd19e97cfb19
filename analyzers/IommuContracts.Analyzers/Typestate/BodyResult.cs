using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// One body analysed in summary mode: its summary, the diagnostics of that run (which are its report when its type
/// keeps no handle fields) and, if the analysis failed, why (reported as IOMMU0000, never thrown).
/// </summary>
internal sealed class BodyResult
{
    public BodyResult(MethodSummary summary, ImmutableArray<Diagnostic> diagnostics, System.Exception? failure)
    {
        Summary = summary;
        Diagnostics = diagnostics;
        Failure = failure;
    }

    public MethodSummary Summary { get; }

    public ImmutableArray<Diagnostic> Diagnostics { get; }

    public System.Exception? Failure { get; }
}
