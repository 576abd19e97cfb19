namespace IommuContracts.Analyzers.Infrastructure;

/// <summary>
/// A [StateKey] parameter: which argument selects a handle's sub-state, how it is named in messages, and the value
/// that stands for the handle itself (IOMMU_NO_PASID: the RID; null when none does).
/// </summary>
internal sealed class KeyParameter
{
    public KeyParameter(int ordinal, string name, long? selfValue)
    {
        Ordinal = ordinal;
        Name = name;
        SelfValue = selfValue;
    }

    public int Ordinal { get; }

    public string Name { get; }

    public long? SelfValue { get; }
}
