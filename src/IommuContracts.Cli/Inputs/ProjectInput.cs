using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Cli.Inputs;

/// <summary>
/// A .csproj: its compiler command line comes from a design-time build (<see cref="MSBuildDesignTimeBuild"/>) and is
/// parsed by Roslyn's own <see cref="CSharpCommandLineParser"/>, so sources, references, defines, language version,
/// nullable, /nowarn and .editorconfig files are exactly the real build's.
/// </summary>
internal static class ProjectInput
{
    public static CheckInput Load(string projectPath, string configuration, Progress progress)
    {
        var name = Path.GetFileNameWithoutExtension(projectPath);
        progress.Report($"{name}: design-time build (dotnet msbuild, {configuration}); restores and builds project references");
        var projectDirectory = Path.GetDirectoryName(projectPath)!;
        var arguments = MSBuildDesignTimeBuild.GetCompilerArguments(projectPath, configuration);
        var parsed = CSharpCommandLineParser.Default.Parse(arguments, projectDirectory, sdkDirectory: null);
        foreach (var error in parsed.Errors.Where(e => e.Severity == DiagnosticSeverity.Error))
        {
            progress.Detail($"{name}: compiler command line: {error.GetMessage()}");
        }

        progress.Report($"{name}: parsing {parsed.SourceFiles.Length} files");
        var trees = parsed.SourceFiles
            .AsParallel()
            .AsOrdered()
            .Select(file => SourceFiles.Parse(file.Path, parsed.ParseOptions))
            .ToList();
        var references = parsed.MetadataReferences
            .Where(reference => File.Exists(reference.Reference))
            .Select(reference => (MetadataReference)MetadataReference.CreateFromFile(reference.Reference, reference.Properties))
            .ToList();
        var compilation = CSharpCompilation.Create(parsed.CompilationName ?? name, trees, references, parsed.CompilationOptions);

        var additionalFiles = parsed.AdditionalFiles
            .Select(file => (AdditionalText)new FileAdditionalText(file.Path))
            .ToImmutableArray();
        var configs = AnalyzerConfigFiles.Load(parsed.AnalyzerConfigPaths);
        var generators = LoadProjectGenerators(name, parsed.AnalyzerReferences.Select(r => r.FilePath), progress);
        return new CheckInput(name, compilation, parsed.ParseOptions, generators, additionalFiles, configs);
    }

    private static ImmutableArray<ISourceGenerator> LoadProjectGenerators(string name, IEnumerable<string> analyzerPaths, Progress progress)
    {
        var paths = analyzerPaths
            .Where(path => !ShippedAssemblies.ReplacedAnalyzerFileNames.Contains(Path.GetFileName(path)))
            .Where(File.Exists)
            .ToList();
        var loader = new ProjectAnalyzerLoadContext();
        foreach (var path in paths)
        {
            loader.AddDependencyLocation(path);
        }

        var generators = ImmutableArray.CreateBuilder<ISourceGenerator>();
        foreach (var path in paths)
        {
            var reference = new AnalyzerFileReference(path, loader);
            reference.AnalyzerLoadFailed += (_, e) =>
                progress.Detail($"{name}: skipped generator(s) in {Path.GetFileName(path)}: {e.Message}");
            generators.AddRange(reference.GetGenerators(LanguageNames.CSharp));
        }

        progress.Detail($"{name}: {generators.Count} source generator(s) of the project will run");
        return generators.ToImmutable();
    }
}
