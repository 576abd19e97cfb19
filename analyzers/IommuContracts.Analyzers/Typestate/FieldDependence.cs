namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// Whether an analysis asked anything its type's field passes would answer differently: the entry facts of a field or
/// auto-property of <c>this</c>, or a call on <c>this</c> (which those passes resolve with the member's contextual
/// summary). A member of a type with handle fields whose summary analysis asked neither is reported from that analysis,
/// since running it again from the fields' entry states would take the same steps.
/// </summary>
internal sealed class FieldDependence
{
    public bool Found { get; private set; }

    public void Note() => Found = true;
}
