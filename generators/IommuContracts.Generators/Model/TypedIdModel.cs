namespace IommuContracts.Generators.Model;

/// <summary>A typed object ID to fill in.</summary>
internal sealed record TypedIdModel(string Namespace, string Name, bool IsPublic) : INamedModel;
