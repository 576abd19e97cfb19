using System.Collections.Immutable;
using IommuContracts.Contracts;
using IommuContracts.Engine.Kapi;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Tests.Support;

/// <summary>
/// What an analyzed snippet compiles against: the .NET 8 reference assemblies from Basic.Reference.Assemblies
/// (nothing is downloaded) plus IommuContracts and IommuContracts.Engine, whose annotations the analyzers read.
/// </summary>
public static class SnippetReferences
{
    public static readonly ImmutableArray<MetadataReference> All = Basic.Reference.Assemblies.Net80.References.All
        .Cast<MetadataReference>()
        .Append(MetadataReference.CreateFromFile(typeof(IoctlCommandAttribute).Assembly.Location))
        .Append(MetadataReference.CreateFromFile(typeof(Iommufd).Assembly.Location))
        .ToImmutableArray();
}
