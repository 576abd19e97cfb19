namespace IommuContracts.Contracts;

/// <summary>The last field every caller must supply: the minimum size is the offset where this field ends.</summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class LastMandatoryAttribute : Attribute
{
}
