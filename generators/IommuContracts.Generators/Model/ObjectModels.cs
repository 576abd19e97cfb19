namespace IommuContracts.Generators.Model;

/// <summary>One object kind: a class derived from an object base, with its typed ID and kind number.</summary>
internal sealed record ObjectKindModel(
    string Namespace,
    string Name,
    string FullName,
    string BaseFullName,
    string IdTypeName,
    int Kind,
    bool HasAbort) : INamedModel;

/// <summary>The abstract base of an object table's objects; the kind enum is emitted beside it.</summary>
internal sealed record ObjectBaseModel(string Namespace, string Name, string FullName, bool IsPublic) : INamedModel;

/// <summary>A class that receives typed lookups for the kinds of one base.</summary>
internal sealed record ObjectTableModel(string Namespace, string Name, string BaseFullName) : INamedModel;
