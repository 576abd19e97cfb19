using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// One body analysed in summary mode: its summary, the diagnostics of that run (which are its report when its type
/// keeps no handle fields) and, if the analysis failed, why (reported as IOMMU0000, never thrown).
/// </summary>
internal sealed class BodyResult
{
    public BodyResult(MethodSummary summary, ImmutableArray<Diagnostic> diagnostics, System.Exception? failure, bool dependsOnFields = true)
    {
        Summary = summary;
        Diagnostics = diagnostics;
        Failure = failure;
        DependsOnFields = dependsOnFields;
    }

    public MethodSummary Summary { get; }

    public ImmutableArray<Diagnostic> Diagnostics { get; }

    public System.Exception? Failure { get; }

    /// <summary>
    /// The analysis asked what its type's field passes decide (see <see cref="FieldDependence"/>); true when unsure.
    /// Then, for a member of a type that declares handle fields, <see cref="Diagnostics"/> is not its report (the
    /// field passes make that) and may be incomplete.
    /// </summary>
    public bool DependsOnFields { get; }
}
