using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace IommuContracts.Cli.Inputs;

/// <summary>
/// One compilation to check, as the compiler would see it: sources and references, the project's own source
/// generators (other than IommuContracts', which the tool brings), additional files, and the .editorconfig /
/// .globalconfig set that decides severities.
/// </summary>
internal sealed record CheckInput(
    string Name,
    CSharpCompilation Compilation,
    CSharpParseOptions ParseOptions,
    ImmutableArray<ISourceGenerator> ProjectGenerators,
    ImmutableArray<AdditionalText> AdditionalFiles,
    AnalyzerConfigSet AnalyzerConfigs);
