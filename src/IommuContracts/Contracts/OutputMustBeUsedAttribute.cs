namespace IommuContracts.Contracts;

/// <summary>An out / ref parameter whose returned value the caller must read (the pt_id attach returns, the length UNMAP returns).</summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Field, Inherited = false)]
public sealed class OutputMustBeUsedAttribute : Attribute
{
    /// <summary>Declares the rule reported when the output is ignored.</summary>
    /// <param name="rule">The rule ID (see <see cref="RuleIds"/>).</param>
    public OutputMustBeUsedAttribute(string rule) => Rule = rule;

    /// <summary>The rule ID reported when the caller never reads the output.</summary>
    public string Rule { get; }
}
