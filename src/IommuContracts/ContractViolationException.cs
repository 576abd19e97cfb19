namespace IommuContracts;

/// <summary>
/// Driver code broke a kAPI contract that the kernel would answer with a WARN or a crash. Carries the rule
/// ID the analyzer uses for the same mistake (see <see cref="Contracts.RuleIds"/>); the message says what
/// to do instead.
/// </summary>
public sealed class ContractViolationException : InvalidOperationException
{
    /// <summary>Reports a broken contract under its rule ID.</summary>
    /// <param name="ruleId">The analyzer rule ID for the same mistake (e.g. <c>IOMMU0002</c>).</param>
    /// <param name="message">What went wrong and what to do instead.</param>
    public ContractViolationException(string ruleId, string message)
        : base($"{ruleId}: {message}")
        => RuleId = ruleId;

    /// <summary>A violation without a specific rule (<c>IOMMU0000</c>).</summary>
    public ContractViolationException()
        : this("IOMMU0000", "contract violation")
    {
    }

    /// <summary>A violation without a specific rule (<c>IOMMU0000</c>).</summary>
    /// <param name="message">What went wrong and what to do instead.</param>
    public ContractViolationException(string message)
        : this("IOMMU0000", message)
    {
    }

    /// <summary>A violation without a specific rule (<c>IOMMU0000</c>), caused by another exception.</summary>
    /// <param name="message">What went wrong and what to do instead.</param>
    /// <param name="innerException">The exception that revealed the violation.</param>
    public ContractViolationException(string message, Exception innerException)
        : base(message, innerException)
        => RuleId = "IOMMU0000";

    /// <summary>The analyzer rule ID for the same mistake (<c>IOMMU0000</c> when no rule applies).</summary>
    public string RuleId { get; }
}
