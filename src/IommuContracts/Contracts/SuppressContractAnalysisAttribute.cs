namespace IommuContracts.Contracts;

/// <summary>
/// Opts one method out of the flow-sensitive contract analysis, for code that manages handles in ways no
/// checker should follow. The reason is required; an empty one does not opt out.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, Inherited = false)]
public sealed class SuppressContractAnalysisAttribute : Attribute
{
    public SuppressContractAnalysisAttribute(string justification) => Justification = justification;

    public string Justification { get; }
}
