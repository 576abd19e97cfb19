namespace IommuContracts;

/// <summary>
/// Driver code broke a kAPI contract that the kernel would answer with a WARN or a crash. Carries the rule
/// ID the analyzer uses for the same mistake (see <see cref="Contracts.RuleIds"/>); the message says what
/// to do instead.
/// </summary>
public sealed class ContractViolationException : InvalidOperationException
{
    public ContractViolationException(string ruleId, string message)
        : base($"{ruleId}: {message}")
        => RuleId = ruleId;

    public ContractViolationException()
        : this("IOMMU0000", "contract violation")
    {
    }

    public ContractViolationException(string message)
        : this("IOMMU0000", message)
    {
    }

    public ContractViolationException(string message, Exception innerException)
        : base(message, innerException)
        => RuleId = "IOMMU0000";

    public string RuleId { get; }
}
