using System.Collections.Concurrent;
using System.Reflection;
using IommuContracts.Analyzers.Tests.Samples;
using IommuContracts.Analyzers.Tests.Support;
using IommuContracts.Analyzers.Tests.Twins;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Analyzers.Tests.Shapes;

/// <summary>A contract diagnostic reported in a snippet: its rule, 1-based line and message.</summary>
public sealed record ShapeFinding(string Rule, int Line, string Message)
{
    public override string ToString() => $"{Rule} at line {Line}: {Message}";
}

/// <summary>
/// Compiles a snippet twice: alone, as a user's project holds it, to run every analyzer on it; and with its
/// scenario (and the Linux stand-in where it uses the real backend), to run it on the engine. Both results
/// are cached per snippet, so the label test and the precision test share them.
/// </summary>
public static class ShapeCompiler
{
    private const string StandInUsing = "using IommuContracts.Analyzers.Tests.Shapes.LinuxStandIn;";

    private const string ScenarioUsings = SnippetUsings.Text + """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using IommuContracts.Analyzers.Tests.Twins;

        """;

    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    private static readonly CSharpCompilationOptions Library = new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

    private static readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<ShapeFinding>>>> s_findings = new();

    private static readonly ConcurrentDictionary<string, Lazy<Assembly>> s_assemblies = new();

    /// <summary>The IOMMU diagnostics of the snippet alone, in line order.</summary>
    public static Task<IReadOnlyList<ShapeFinding>> AnalyseAsync(ShapeSnippet snippet)
        => s_findings.GetOrAdd(snippet.Id, _ => new Lazy<Task<IReadOnlyList<ShapeFinding>>>(() => Task.Run(() => AnalyseUncachedAsync(snippet)))).Value;

    /// <summary>The snippet with its scenario, emitted and loaded.</summary>
    public static Assembly CompileRun(ShapeSnippet snippet)
        => s_assemblies.GetOrAdd(snippet.Id, _ => new Lazy<Assembly>(() => CompileRunUncached(snippet))).Value;

    /// <summary>Runs the snippet's scenario on a fresh lab that watches the context's release, and tears it down.</summary>
    public static TwinRun Run(ShapeSnippet snippet)
    {
        var entry = CompileRun(snippet).GetType("Scenario")?.GetMethod("Run", BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{snippet.Id}: the scenario has no public static Scenario.Run(TwinLab)");
        var lab = new TwinLab();
        lab.WatchContextRelease();
        return TwinRunner.Run(entry, lab);
    }

    private static async Task<IReadOnlyList<ShapeFinding>> AnalyseUncachedAsync(ShapeSnippet snippet)
    {
        var tree = CSharpSyntaxTree.ParseText(snippet.AnalysedSource, Parse, snippet.Id + ".cs");
        var compilation = CSharpCompilation.Create("Shape_" + snippet.Name, [tree], SnippetReferences.All, Library);

        // One pass gives the compiler's diagnostics and the analyzers': the snippet must compile as written.
        var diagnostics = await compilation.WithAnalyzers(BrokenDriverTests.AllAnalyzers()).GetAllDiagnosticsAsync();
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("IOMMU", StringComparison.Ordinal)).ToList();
        if (errors.Count != 0)
        {
            throw new InvalidOperationException($"{snippet.Id}: the analysed compilation has errors\n" + string.Join("\n", errors));
        }

        return diagnostics
            .Where(d => d.Id.StartsWith("IOMMU", StringComparison.Ordinal) && d.Location.IsInSource)
            .Select(d => new ShapeFinding(d.Id, d.Location.GetLineSpan().StartLinePosition.Line + 1, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(f => f.Line).ThenBy(f => f.Rule, StringComparer.Ordinal)
            .ToList();
    }

    private static Assembly CompileRunUncached(ShapeSnippet snippet)
    {
        var source = snippet.UsesLinuxBackend
            ? snippet.AnalysedSource.Replace(ShapeSnippet.LinuxUsing, StandInUsing, StringComparison.Ordinal)
            : snippet.AnalysedSource;
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText(source, Parse, snippet.Id + ".cs"),
            CSharpSyntaxTree.ParseText(ScenarioUsings + (snippet.UsesLinuxBackend ? StandInUsing + "\n" : "") + snippet.ScenarioSource, Parse, snippet.Id + ".scenario.cs"),
        };
        var compilation = CSharpCompilation.Create("ShapeRun_" + snippet.Name + "_" + Guid.NewGuid().ToString("N"), trees, TwinRunner.References, Library);
        ThrowOnErrors(snippet, "run", compilation);
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            throw new InvalidOperationException($"{snippet.Id}: emit failed\n" + string.Join("\n", emitted.Diagnostics));
        }

        return Assembly.Load(image.ToArray());
    }

    private static void ThrowOnErrors(ShapeSnippet snippet, string which, Compilation compilation)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count != 0)
        {
            throw new InvalidOperationException($"{snippet.Id}: the {which} compilation has errors\n" + string.Join("\n", errors));
        }
    }
}
