namespace IommuContracts.Generators;

/// <summary>Names of the tracked pipeline steps; the incrementality tests look them up by reflection.</summary>
public static class TrackingNames
{
    public const string IoctlStructs = nameof(IoctlStructs);
    public const string Dispatchers = nameof(Dispatchers);
    public const string TypedIds = nameof(TypedIds);
    public const string ObjectKinds = nameof(ObjectKinds);
    public const string ObjectBases = nameof(ObjectBases);
    public const string ObjectTables = nameof(ObjectTables);
    public const string ObjectGraph = nameof(ObjectGraph);
}
