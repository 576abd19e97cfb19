namespace IommuContracts.Contracts;

/// <summary>
/// A field the caller supplies and the kernel may update. The stub takes it as a <c>ref</c> parameter, or, with
/// <see cref="OutputType"/>, as an input of the field's type plus an <c>out</c> parameter of that type.
/// </summary>
[AttributeUsage(AttributeTargets.Field, Inherited = false)]
public sealed class InOutAttribute : Attribute
{
    /// <summary>
    /// The typed object ID the kernel writes back, when it is narrower than what goes in: the <c>pt_id</c> of an
    /// attach goes in as an IOAS or HWPT (<see cref="PageTableId"/>) and comes back as the HWPT used
    /// (<see cref="HwptId"/>). The out parameter is set only when the call succeeds (<c>default</c> otherwise: the
    /// field then still holds the input). The field's type must be <see cref="ObjectId"/>, this type, or an ID of
    /// several kinds that includes it (IOMMUGEN021).
    /// </summary>
    public Type? OutputType { get; set; }
}
