namespace IommuContracts.Contracts;

/// <summary>
/// Opts one method out of the flow-sensitive contract analysis, for code that manages handles in ways no
/// checker should follow. The reason is required; an empty one does not opt out.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, Inherited = false)]
public sealed class SuppressContractAnalysisAttribute : Attribute
{
    /// <summary>Opts the method out, for the given reason.</summary>
    /// <param name="justification">Why no checker should follow this method; must not be empty.</param>
    public SuppressContractAnalysisAttribute(string justification) => Justification = justification;

    /// <summary>Why the method is opted out of the analysis.</summary>
    public string Justification { get; }
}
