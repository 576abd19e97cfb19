namespace IommuContracts.Contracts;

/// <summary>An out / ref parameter whose returned value the caller must read (the pt_id attach returns, the length UNMAP returns).</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field, Inherited = false)]
public sealed class OutputMustBeUsedAttribute : Attribute
{
    public OutputMustBeUsedAttribute(string rule) => Rule = rule;

    public string Rule { get; }
}
