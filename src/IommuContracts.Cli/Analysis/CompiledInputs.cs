using IommuContracts.Cli.Findings;
using IommuContracts.Cli.Inputs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Cli.Analysis;

/// <summary>
/// Compiles inputs for one run, each once: its sources, its file references, and its referenced projects as
/// compilations of their own (compiled first, the same way), then the source generators (the project's and
/// IommuContracts'). No analyzer runs here, so a referenced project's findings, error-level or not, never stop
/// the input that uses it. The compile errors of the input are all of them; of a referenced project only those
/// in its declarations (what the input binds against), which spares binding every method body of a large
/// library that is not itself being checked.
/// </summary>
internal sealed class CompiledInputs(AnalyzerCatalog catalog, Progress progress)
{
    private readonly Dictionary<string, CompiledInput> _compiled = new(StringComparer.Ordinal);

    public CompiledInput Get(CheckInput input, CancellationToken cancellationToken)
    {
        if (_compiled.TryGetValue(input.Key, out var known))
        {
            return known;
        }

        var references = input.Compilation.References.ToList();
        var referenced = new List<CompiledInput>();
        foreach (var reference in input.ProjectReferences)
        {
            var compiled = Get(reference.Project, cancellationToken);
            references.Add(compiled.Compilation.ToMetadataReference(reference.Properties.Aliases, reference.Properties.EmbedInteropTypes));
            referenced.Add(compiled);
        }

        var analyzerOptions = new ConfiguredAnalyzerOptions(input.AnalyzerConfigs);
        var compilation = input.Compilation
            .WithReferences(references)
            .WithOptions(input.Compilation.Options
                .WithSyntaxTreeOptionsProvider(new ConfiguredSyntaxTreeOptions(input.AnalyzerConfigs))
                // TreatWarningsAsErrors is the build's gate; --fail-on is ours, so report rules at their own severity.
                .WithGeneralDiagnosticOption(ReportDiagnostic.Default));

        var generators = input.ProjectGenerators.AddRange(catalog.Generators);
        progress.Report($"{input.Name}: running {generators.Length} source generator(s)");
        GeneratorDriver driver = CSharpGeneratorDriver.Create(generators, input.AdditionalFiles, input.ParseOptions, analyzerOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics, cancellationToken);
        var result = new CompiledInput((CSharpCompilation)generated, analyzerOptions, generatorDiagnostics, referenced);
        _compiled[input.Key] = result;
        return result;
    }
}

/// <summary>
/// An input after generators ran: the compilation the analyzers see and the options they get. Its compile errors are
/// computed on demand: all of them for an input being checked, the declaration errors for a referenced project.
/// </summary>
internal sealed class CompiledInput(
    CSharpCompilation compilation,
    AnalyzerConfigOptionsProvider analyzerOptions,
    IEnumerable<Diagnostic> generatorDiagnostics,
    IReadOnlyList<CompiledInput> references)
{
    private IReadOnlyList<Finding>? _declarationErrors;

    public CSharpCompilation Compilation { get; } = compilation;

    public AnalyzerConfigOptionsProvider AnalyzerOptions { get; } = analyzerOptions;

    /// <summary>Every compile error of this input, with the declaration errors of the projects it references.</summary>
    public IReadOnlyList<Finding> AllErrors(CancellationToken cancellationToken)
        => Errors(Compilation.GetDiagnostics(cancellationToken))
            .Concat(references.SelectMany(reference => reference.DeclarationErrors(cancellationToken)))
            .Distinct()
            .ToList();

    private IReadOnlyList<Finding> DeclarationErrors(CancellationToken cancellationToken)
        => _declarationErrors ??= Errors(Compilation.GetParseDiagnostics(cancellationToken).Concat(Compilation.GetDeclarationDiagnostics(cancellationToken)))
            .Concat(references.SelectMany(reference => reference.DeclarationErrors(cancellationToken)))
            .Distinct()
            .ToList();

    private IEnumerable<Finding> Errors(IEnumerable<Diagnostic> compilerDiagnostics)
        => generatorDiagnostics.Concat(compilerDiagnostics).Where(IsCompileError).Select(Finding.From);

    // A real compiler error, not a warning the project promotes with WarningsAsErrors.
    private static bool IsCompileError(Diagnostic diagnostic)
        => diagnostic.Severity == DiagnosticSeverity.Error && !diagnostic.IsWarningAsError;
}
