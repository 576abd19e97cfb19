using System.Collections.Immutable;
using System.Reflection;
using IommuContracts.Analyzers.Tests.Support;
using IommuContracts.Analyzers.Rules;
using IommuContracts.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Analyzers.Tests.Robustness;

/// <summary>
/// The generator and every analyzer on code as an IDE sees it mid-keystroke: each annotated source file of the
/// repository (uapi declarations, the engine's drivers and kAPI, the samples) cut after every
/// <see cref="Stride"/>-th token, compiled on its own against the shipped assemblies. Whatever the errors, the
/// generator must not throw (CS8785 drops all its output) and no analyzer may crash (AD0001).
/// </summary>
public class TruncatedSourceTests
{
    /// <summary>Cut after every Stride-th token (a prime, so cuts land on every kind of token).</summary>
    private const int Stride = 89;

    private static readonly string[] Markers =
    [
        "[IoctlCommand", "[IoctlDispatcher", "[IoctlHandler", "[IommufdObject", "[TypedObjectId", "[Typestate", "[RequiresState", "[MustCheck",
    ];

    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = typeof(TypestateAnalyzer).Assembly.GetTypes()
        .Concat(typeof(IoctlGenerator).Assembly.GetTypes())
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    public static TheoryData<string> AnnotatedFiles()
    {
        var data = new TheoryData<string>();
        foreach (var folder in new[] { "src", "samples" })
        {
            foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Of(folder), "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                         .Order(StringComparer.Ordinal))
            {
                var text = File.ReadAllText(file);
                if (Markers.Any(m => text.Contains(m, StringComparison.Ordinal)))
                {
                    data.Add(Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/'));
                }
            }
        }

        return data;
    }

    [Fact]
    public void The_repository_has_annotated_sources_to_cut() => Assert.True(AnnotatedFiles().Count >= 40);

    [Theory]
    [MemberData(nameof(AnnotatedFiles))]
    public async Task Cut_after_every_Nth_token_the_generator_never_throws_and_no_analyzer_crashes(string file)
    {
        var text = await File.ReadAllTextAsync(RepositoryPaths.Of(file));
        var tokens = CSharpSyntaxTree.ParseText(text, Parse).GetRoot().DescendantTokens().ToList();
        var cuts = 0;
        for (var index = Stride; index < tokens.Count; index += Stride)
        {
            var cut = tokens[index].Span.End;
            await AssertSurvives(text[..cut], $"{file} cut at {cut} (after '{tokens[index].Text}')");
            cuts++;
        }

        await AssertSurvives(text, file);
        Assert.True(cuts > 0 || tokens.Count <= Stride);
    }

    private static async Task AssertSurvives(string source, string what)
    {
        var compilation = CSharpCompilation.Create(
            "Truncated",
            [CSharpSyntaxTree.ParseText(source, Parse, path: "Truncated.cs")],
            SnippetReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

        var driver = CSharpGeneratorDriver.Create([new IoctlGenerator().AsSourceGenerator()], parseOptions: Parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);
        var run = driver.GetRunResult().Results.Single();
        Assert.True(run.Exception is null, $"{what}: the generator threw {run.Exception}");
        Assert.DoesNotContain(generatorDiagnostics, d => d.Id == "CS8785");

        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var diagnostics = await generated.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync();
        var crashes = diagnostics.Where(d => d.Id is "AD0001" or "CS8785").ToList();
        Assert.True(crashes.Count == 0, $"{what}: " + string.Join("; ", crashes));
    }
}
