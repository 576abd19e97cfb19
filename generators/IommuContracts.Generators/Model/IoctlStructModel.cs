namespace IommuContracts.Generators.Model;

/// <summary>The contract attributes a stub carries for the analyzers: file state, IOVA-ranges effect.</summary>
internal sealed record StubContract(string? RequiresState, string? StateRule, string? TransitionsTo, int IovaRangesEffect)
{
    public static StubContract None { get; } = new(null, null, null, 0);
}

/// <summary>Everything needed to emit one command struct and its stub; value-equal, no symbols.</summary>
internal sealed record IoctlStructModel(
    string Namespace,
    string Name,
    bool IsPublic,
    string KernelName,
    string StubName,
    byte Type,
    byte Number,
    Convention Convention,
    CopyIn CopyIn,
    Response Response,
    ArgumentKind Argument,
    int NativeSize,
    int MinimumSize,
    EquatableArray<FieldModel> Fields,
    StubContract Contract) : INamedModel
{
    public uint Command => (uint)(Type << 8 | Number);

    public string FullName => Namespace.Length == 0 ? "global::" + Name : "global::" + Namespace + "." + Name;
}
