namespace IommuContracts.Generators.Model;

/// <summary>A model of one declared type: what its generated file is named after.</summary>
internal interface INamedModel
{
    string Namespace { get; }

    string Name { get; }
}
