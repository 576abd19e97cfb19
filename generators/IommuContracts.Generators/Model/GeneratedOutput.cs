namespace IommuContracts.Generators.Model;

/// <summary>A model with the hint name its generated file gets (unique in the compilation, case-insensitively).</summary>
internal sealed record GeneratedOutput<T>(T Model, string HintName);
