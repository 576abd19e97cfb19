namespace IommuContracts.Contracts;

/// <summary>
/// Marks the <c>partial class</c> that owns objects derived from <c>objectBase</c>: the generator
/// adds a typed <c>Get(XxxId, out Xxx?)</c> lookup per object kind, each forwarding to a generic
/// <c>LookupCore</c> that the class implements.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class IommufdObjectTableAttribute : Attribute
{
    /// <summary>Declares the object base class whose kinds the table holds.</summary>
    /// <param name="objectBase">A class marked with <see cref="IommufdObjectBaseAttribute"/>.</param>
    public IommufdObjectTableAttribute(Type objectBase) => ObjectBase = objectBase;

    /// <summary>The <see cref="IommufdObjectBaseAttribute"/> class whose kinds this table holds.</summary>
    public Type ObjectBase { get; }
}
