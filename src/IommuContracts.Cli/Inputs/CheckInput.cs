using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace IommuContracts.Cli.Inputs;

/// <summary>
/// One compilation to check, as the compiler would see it: sources and file references, the projects it references
/// (compiled from their own command lines, see <see cref="ProjectReferenceInput"/>), the project's own source
/// generators (other than IommuContracts', which the tool brings), additional files, and the .editorconfig /
/// .globalconfig set that decides severities. <see cref="Key"/> tells inputs apart (project path and target framework).
/// </summary>
internal sealed record CheckInput(
    string Key,
    string Name,
    CSharpCompilation Compilation,
    CSharpParseOptions ParseOptions,
    ImmutableArray<ISourceGenerator> ProjectGenerators,
    ImmutableArray<AdditionalText> AdditionalFiles,
    AnalyzerConfigSet AnalyzerConfigs)
{
    public IReadOnlyList<ProjectReferenceInput> ProjectReferences { get; init; } = [];
}

/// <summary>
/// A referenced project, compiled in memory in place of its output (which may not exist, or be stale): the reference
/// the command line had, with its aliases, and the project as an input of its own.
/// </summary>
internal sealed record ProjectReferenceInput(MetadataReferenceProperties Properties, CheckInput Project);
