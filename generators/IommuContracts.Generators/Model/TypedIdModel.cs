namespace IommuContracts.Generators.Model;

/// <summary>A typed object ID to fill in; <paramref name="Kinds"/> are the fully qualified single-kind IDs it converts from (empty for an ID of one kind).</summary>
internal sealed record TypedIdModel(string Namespace, string Name, bool IsPublic, EquatableArray<string> Kinds) : INamedModel;
