using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using IommuContracts.Contracts;
using IommuContracts.Engine.Kapi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace IommuContracts.Benchmarks;

/// <summary>
/// The analyzer corpus of one size, parsed once, with the references and analyzer options every run uses.
/// <see cref="Create"/> checks that the corpus compiles without errors; the <c>Verify…</c> methods run one analyzer
/// set and throw unless it reports what the corpus was seeded with, so no benchmark can silently measure nothing.
/// </summary>
public sealed class AnalyzerWorkspace
{
    public const string AssemblyName = "Contoso.Drivers";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>
    /// CA2000 is off by default (RuleLevel.Disabled); a build turns it on with <c>dotnet_diagnostic.CA2000.severity</c> in a
    /// .globalconfig or .editorconfig, which reaches the compilation as this per-ID option.
    /// </summary>
    public static readonly CSharpCompilationOptions CompilationOptions =
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions([new KeyValuePair<string, ReportDiagnostic>(AnalyzerSets.Ca2000, ReportDiagnostic.Warn)]);

    /// <summary>
    /// The dataflow options of CA2000, as <c>.editorconfig</c> / <c>.globalconfig</c> entries (the SDK hands both to the
    /// analyzers through the same provider): context-sensitive interprocedural analysis three calls deep, non-exception
    /// paths. These are CA2000's documented defaults, stated so the run does not depend on them.
    /// </summary>
    public static readonly ImmutableDictionary<string, string> Ca2000Options = new Dictionary<string, string>
    {
        ["dotnet_code_quality.CA2000.interprocedural_analysis_kind"] = "ContextSensitive",
        ["dotnet_code_quality.CA2000.max_interprocedural_method_call_chain"] = "3",
        ["dotnet_code_quality.CA2000.max_interprocedural_lambda_or_local_function_call_chain"] = "3",
        ["dotnet_code_quality.CA2000.dispose_analysis_kind"] = "NonExceptionPaths",
    }.ToImmutableDictionary(AnalyzerConfigOptions.KeyComparer);

    public static readonly AnalyzerOptions AnalyzerOptions = new([], new FixedOptionsProvider(Ca2000Options));

    private AnalyzerWorkspace(IReadOnlyList<CorpusFile> files, ImmutableArray<SyntaxTree> trees, ImmutableArray<MetadataReference> references)
    {
        Files = files;
        Trees = trees;
        References = references;
        Lines = files.Sum(f => f.Lines);
        DriverLines = files.Where(f => f.Kind == CorpusFileKind.Driver).Sum(f => f.Lines);
        ContractBugs = AnalyzerCorpus.ContractBugs(files);
        DisposeLeaks = AnalyzerCorpus.DisposeLeaks(files);
    }

    public IReadOnlyList<CorpusFile> Files { get; }

    public ImmutableArray<SyntaxTree> Trees { get; }

    /// <summary>The .NET 8 reference assemblies, IommuContracts.dll and IommuContracts.Engine.dll (the kAPI).</summary>
    public ImmutableArray<MetadataReference> References { get; }

    public int Lines { get; }

    public int DriverLines { get; }

    public IReadOnlyList<SeededBug> ContractBugs { get; }

    public IReadOnlyList<SeededBug> DisposeLeaks { get; }

    /// <summary>A new compilation with nothing bound yet, as a build starts.</summary>
    public CSharpCompilation CreateCompilation() => CSharpCompilation.Create(AssemblyName, Trees, References, CompilationOptions);

    /// <summary>
    /// A new compilation (nothing bound) with <paramref name="analyzers"/>, analysed concurrently as in a build;
    /// <paramref name="logExecutionTime"/> times every analyzer action (Roslyn's telemetry, as <c>/reportanalyzer</c>).
    /// </summary>
    public CompilationWithAnalyzers WithAnalyzers(
        ImmutableArray<DiagnosticAnalyzer> analyzers, bool logExecutionTime = false, Action<Exception, DiagnosticAnalyzer, Diagnostic>? onException = null, bool concurrent = true)
        => CreateCompilation().WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            AnalyzerOptions, onException, concurrentAnalysis: concurrent, logAnalyzerExecutionTime: logExecutionTime, reportSuppressedDiagnostics: false));

    /// <summary>
    /// What a build does: the compiler's diagnostics and the analyzers' in one pass over one compilation, the analyzers
    /// fed by the events the compiler raises while it binds (so binding is paid once, whatever the analyzers).
    /// Returns the number of analyzer diagnostics.
    /// </summary>
    public int BuildDiagnostics(ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var all = WithAnalyzers(analyzers).GetAllDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        return all.Count(d => !IsCompilerDiagnostic(d));
    }

    /// <summary>Generates and parses the corpus and checks that it compiles without errors.</summary>
    public static AnalyzerWorkspace Create(int lines, TextWriter? log = null)
    {
        var clock = Stopwatch.StartNew();
        var files = AnalyzerCorpus.Create(lines);
        var trees = files
            .Select(f => CSharpSyntaxTree.ParseText(SourceText.From(f.Text, System.Text.Encoding.UTF8), ParseOptions, f.Path))
            .ToImmutableArray();
        var references = Basic.Reference.Assemblies.Net80.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(TypestateAttribute).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(Iommufd).Assembly.Location))
            .ToImmutableArray();
        var workspace = new AnalyzerWorkspace(files, trees, references);
        Require(workspace.Lines >= lines, $"the corpus has {workspace.Lines} lines, fewer than {lines}");
        Require(workspace.ContractBugs.Count > 0 && workspace.DisposeLeaks.Count > 0, "the corpus is too small to hold a seeded bug");

        var diagnostics = workspace.CreateCompilation().GetDiagnostics();
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10).ToList();
        Require(errors.Count == 0, "the corpus does not compile:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        var warnings = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning && d.Id != AnalyzerSets.Ca2000).Take(10).ToList();
        Require(warnings.Count == 0, "the corpus compiles with warnings:" + Environment.NewLine + string.Join(Environment.NewLine, warnings));

        log?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// Analyzer corpus verified in {clock.Elapsed.TotalSeconds:F1}s: {files.Count} files, {workspace.Lines} lines " +
            $"({files.Count(f => f.Kind == CorpusFileKind.Driver)} drivers with {workspace.DriverLines} lines, " +
            $"{files.Count(f => f.Kind == CorpusFileKind.Ordinary)} ordinary files with {workspace.Lines - workspace.DriverLines} lines), " +
            $"{workspace.ContractBugs.Count} seeded contract bugs, {workspace.DisposeLeaks.Count} seeded dispose leaks; 0 errors, 0 warnings."));
        return workspace;
    }

    /// <summary>
    /// Runs <paramref name="analyzers"/> once with Roslyn's telemetry on and returns their diagnostics and execution
    /// times; throws if any analyzer threw or reported AD0001 / IOMMU0000 (its own internal error).
    /// </summary>
    public AnalyzerRun Run(ImmutableArray<DiagnosticAnalyzer> analyzers, bool concurrent = true)
    {
        var exceptions = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        var withAnalyzers = WithAnalyzers(analyzers, logExecutionTime: true, (exception, analyzer, _) => exceptions.Add($"{analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}"), concurrent);
        var result = withAnalyzers.GetAnalysisResultAsync(CancellationToken.None).GetAwaiter().GetResult();
        var elapsed = clock.Elapsed;
        var diagnostics = result.GetAllDiagnostics();
        Require(exceptions.IsEmpty, "an analyzer threw: " + string.Join("; ", exceptions.Take(5)));
        var internalErrors = diagnostics.Where(d => d.Id is "AD0001" or "IOMMU0000").Take(5).ToList();
        Require(internalErrors.Count == 0, "an analyzer failed: " + string.Join("; ", internalErrors));
        return new AnalyzerRun(diagnostics, AnalyzerTelemetry.Read(withAnalyzers), elapsed);
    }

    /// <summary>The empty analyzer reports nothing, and the build pass over the corpus reports no compiler error.</summary>
    public void VerifyEmpty(TextWriter? log = null)
    {
        var run = Run(AnalyzerSets.Empty);
        Require(run.Diagnostics.IsEmpty, "the empty analyzer reported something");
        var all = WithAnalyzers(AnalyzerSets.Empty).GetAllDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        var errors = all.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).ToList();
        Require(errors.Count == 0, "the build pass reports errors: " + string.Join("; ", errors));
        log?.WriteLine(FormattableString.Invariant($"// Empty analyzer: 0 diagnostics; the build pass reports {all.Length} compiler diagnostics, 0 errors."));
    }

    /// <summary>Whether the compiler (not an analyzer) reported <paramref name="diagnostic"/>.</summary>
    public static bool IsCompilerDiagnostic(Diagnostic diagnostic)
        => diagnostic?.Descriptor.CustomTags.Contains(WellKnownDiagnosticTags.Compiler) ?? throw new ArgumentNullException(nameof(diagnostic));

    /// <summary>Our analyzers must report exactly the seeded contract bugs: each in its method, and nothing else anywhere.</summary>
    public AnalyzerRun VerifyOurs(TextWriter? log = null)
    {
        var run = Run(AnalyzerSets.Ours);
        var expected = ContractBugs.Select(b => (b.Rule, b.Path, b.Method)).ToList();
        var actual = run.Diagnostics.Select(d => (d.Id, Where(d).Path, Where(d).Member)).ToList();
        var missing = Except(expected, actual);
        var unexpected = Except(actual, expected);
        Require(
            missing.Count == 0 && unexpected.Count == 0,
            $"our analyzers must report exactly the {expected.Count} seeded bugs; missing {missing.Count}: {Describe(missing)}; " +
            $"unexpected {unexpected.Count} (false positives): " + string.Join("; ", run.Diagnostics.Where(d => unexpected.Contains((d.Id, Where(d).Path, Where(d).Member))).Take(8)));
        log?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// Our analyzers ({AnalyzerSets.Ours.Length}): exactly the {expected.Count} seeded bugs " +
            $"({string.Join(", ", run.Diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}"))}), " +
            $"0 elsewhere in {Files.Count} files; {run.Elapsed.TotalSeconds:F1}s cold."));
        return run;
    }

    /// <summary>
    /// A dispose analyzer must flag every seeded dispose leak (in its method); what it reports elsewhere is counted
    /// and logged, not failed: it is the peer's own precision on idioms it cannot follow.
    /// </summary>
    public AnalyzerRun VerifyDisposeAnalyzer(string name, ImmutableArray<DiagnosticAnalyzer> analyzers, Func<string, bool> isLeakRule, TextWriter? log = null)
    {
        var run = Run(analyzers);
        var leaks = run.Diagnostics.Where(d => isLeakRule(d.Id)).ToList();
        var flagged = leaks.Select(d => (Where(d).Path, Where(d).Member)).ToHashSet();
        var missed = DisposeLeaks.Where(b => !flagged.Contains((b.Path, b.Method))).ToList();
        Require(leaks.Count > 0, $"{name} reported no leak at all");
        Require(missed.Count == 0, $"{name} missed {missed.Count} of {DisposeLeaks.Count} seeded dispose leaks: " + string.Join(", ", missed.Take(5)));
        var seededSites = DisposeLeaks.Select(b => (b.Path, b.Method)).ToHashSet();
        var elsewhere = run.Diagnostics.Where(d => !seededSites.Contains((Where(d).Path, Where(d).Member))).ToList();
        var byId = string.Join(", ", run.Diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => FormattableString.Invariant($"{g.Count()} {g.Key}")));
        var outside = elsewhere.Count == 0
            ? string.Empty
            : " (" + string.Join(", ", elsewhere.GroupBy(d => d.Id + " in " + Where(d).Member).OrderByDescending(g => g.Count()).Take(6).Select(g => FormattableString.Invariant($"{g.Count()}x {g.Key}"))) + ")";
        log?.WriteLine(FormattableString.Invariant(
            $"// {name}: all {DisposeLeaks.Count} seeded dispose leaks flagged; {run.Diagnostics.Length} diagnostics in all ({byId}), {elsewhere.Count} outside the seeded methods{outside}; {run.Elapsed.TotalSeconds:F1}s cold."));
        return run;
    }

    /// <summary>The file and the member (method, constructor, property or field) a diagnostic is reported in.</summary>
    public static (string Path, string Member) Where(Diagnostic diagnostic)
    {
        var location = diagnostic.Location;
        if (location.SourceTree is not { } tree)
        {
            return (string.Empty, string.Empty);
        }

        var member = tree.GetRoot().FindNode(location.SourceSpan, getInnermostNodeForTie: true)
            .AncestorsAndSelf().OfType<MemberDeclarationSyntax>()
            .FirstOrDefault(m => m is not BaseTypeDeclarationSyntax and not BaseNamespaceDeclarationSyntax);
        var name = member switch
        {
            MethodDeclarationSyntax method => method.Identifier.ValueText,
            ConstructorDeclarationSyntax => ".ctor",
            PropertyDeclarationSyntax property => property.Identifier.ValueText,
            BaseFieldDeclarationSyntax field => field.Declaration.Variables.First().Identifier.ValueText,
            null => "(type)",
            _ => member.Kind().ToString(),
        };
        return (tree.FilePath, name);
    }

    private static List<T> Except<T>(IEnumerable<T> from, IEnumerable<T> remove)
    {
        var left = from.ToList();
        foreach (var item in remove)
        {
            left.Remove(item);
        }

        return left;
    }

    private static string Describe<T>(IEnumerable<T> items) => string.Join(", ", items.Take(8));

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Analyzer benchmarks: " + message);
        }
    }

    /// <summary>The same analyzer config options for every file and for the global scope (what a .globalconfig gives).</summary>
    private sealed class FixedOptionsProvider(ImmutableDictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        private readonly DictionaryOptions _options = new(values);

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

        private sealed class DictionaryOptions(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override IEnumerable<string> Keys => values.Keys;

            public override bool TryGetValue(string key, out string value)
            {
                if (values.TryGetValue(key, out var found))
                {
                    value = found;
                    return true;
                }

                value = null!;
                return false;
            }
        }
    }
}

/// <summary>One analyzer run: its diagnostics, Roslyn's per-analyzer execution times and the wall-clock time.</summary>
public sealed record AnalyzerRun(ImmutableArray<Diagnostic> Diagnostics, AnalyzerTelemetry Telemetry, TimeSpan Elapsed);
