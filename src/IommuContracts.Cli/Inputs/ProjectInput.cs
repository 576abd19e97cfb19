using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Cli.Inputs;

/// <summary>
/// A .csproj: its compiler command line comes from a design-time build (<see cref="MSBuildDesignTimeBuild"/>) and is
/// parsed by Roslyn's own <see cref="CSharpCommandLineParser"/>, so sources, references, defines, language version,
/// nullable, /nowarn and .editorconfig files are exactly the real build's. The projects it references are loaded
/// the same way, once each (<see cref="ProjectLoader"/>), and stand in for their outputs.
/// </summary>
internal static class ProjectInput
{
    public static CheckInput Create(string projectPath, DesignTimeBuild build, Func<ResolvedProjectReference, CheckInput?> loadReference, Progress progress)
    {
        var name = Path.GetFileNameWithoutExtension(projectPath);
        var projectDirectory = Path.GetDirectoryName(projectPath)!;
        var parsed = CSharpCommandLineParser.Default.Parse(build.Arguments, projectDirectory, sdkDirectory: null);
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

        var byOutput = new Dictionary<string, ResolvedProjectReference>(StringComparer.Ordinal);
        foreach (var reference in build.ProjectReferences)
        {
            foreach (var path in reference.OutputPaths)
            {
                byOutput[path] = reference;
            }
        }

        var references = new List<MetadataReference>();
        var projectReferences = new List<ProjectReferenceInput>();
        foreach (var reference in parsed.MetadataReferences)
        {
            var path = Path.GetFullPath(reference.Reference, projectDirectory);
            if (byOutput.TryGetValue(path, out var project) && loadReference(project) is { } loaded)
            {
                projectReferences.Add(new ProjectReferenceInput(reference.Properties, loaded));
            }
            else if (File.Exists(path))
            {
                references.Add(MetadataReference.CreateFromFile(path, reference.Properties));
            }
            else
            {
                progress.Detail($"{name}: reference '{path}' does not exist and is left out");
            }
        }

        var compilation = CSharpCompilation.Create(parsed.CompilationName ?? name, trees, references, parsed.CompilationOptions);
        var additionalFiles = parsed.AdditionalFiles
            .Select(file => (AdditionalText)new FileAdditionalText(file.Path))
            .ToImmutableArray();
        var configs = AnalyzerConfigFiles.Load(parsed.AnalyzerConfigPaths);
        var generators = LoadProjectGenerators(name, parsed.AnalyzerReferences.Select(r => r.FilePath), progress);
        var key = build.TargetFramework is null ? projectPath : $"{projectPath}|{build.TargetFramework}";
        return new CheckInput(key, name, compilation, parsed.ParseOptions, generators, additionalFiles, configs)
        {
            ProjectReferences = projectReferences,
        };
    }

    private static ImmutableArray<ISourceGenerator> LoadProjectGenerators(string name, IEnumerable<string> analyzerPaths, Progress progress)
    {
        var paths = analyzerPaths
            .Where(path => !ShippedAssemblies.ReplacedAnalyzerFileNames.Contains(Path.GetFileName(path)))
            .Where(path =>
            {
                if (File.Exists(path))
                {
                    return true;
                }

                progress.Detail($"{name}: analyzer or generator '{path}' is not built; code it would generate is missing (build the project once)");
                return false;
            })
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
