using System.Collections.Immutable;
using System.Reflection;
using IommuContracts.Analyzers.Tests.Samples;
using IommuContracts.Analyzers.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Analyzers.Tests.Twins;

/// <summary>What one half of a twin did when it ran against the engine.</summary>
public sealed record TwinRun(TwinLab Lab, Errno? Result, ContractViolationException? Violation);

/// <summary>
/// Compiles a twin snippet (a static class Twin with Bad(TwinLab) and Fixed(TwinLab), both returning Errno)
/// once, runs every analyzer on it, and runs each half against a fresh engine.
/// </summary>
public static class TwinRunner
{
    /// <summary>What a snippet that runs is compiled against: the running framework, the engine, and this assembly (TwinLab).</summary>
    public static readonly ImmutableArray<MetadataReference> References = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
        .Split(Path.PathSeparator)
        .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
        .Append(MetadataReference.CreateFromFile(typeof(TwinLab).Assembly.Location))
        .ToImmutableArray();

    // The snippet also sees TwinLab, which it takes as its argument.
    private const string Usings = SnippetUsings.Text + "using IommuContracts.Analyzers.Tests.Twins;\n";

    /// <summary>The contract diagnostics of the snippet, as (rule, method it is in).</summary>
    public static async Task<(List<(string Rule, string Method)> Diagnostics, Assembly Assembly)> CompileAsync(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(Usings + source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Twin" + Guid.NewGuid().ToString("N"), new[] { tree }, References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));

        var root = await tree.GetRootAsync();
        var diagnostics = (await compilation.WithAnalyzers(BrokenDriverTests.AllAnalyzers()).GetAnalyzerDiagnosticsAsync())
            .Where(d => d.Id.StartsWith("IOMMU", StringComparison.Ordinal))
            .Select(d => (d.Id, root.FindNode(d.Location.SourceSpan).AncestorsAndSelf()
                .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().First().Identifier.Text))
            .ToList();
        return (diagnostics, Assembly.Load(image.ToArray()));
    }

    public static TwinRun Run(Assembly assembly, string method) => Run(assembly.GetType("Twin")!.GetMethod(method)!, new TwinLab());

    /// <summary>
    /// Runs <paramref name="entry"/> (static, taking the lab, returning an Errno) with the lab current, catches the
    /// contract violation it may raise, and tears the lab down whatever happened.
    /// </summary>
    public static TwinRun Run(MethodInfo entry, TwinLab lab)
    {
        using var current = lab.MakeCurrent();
        try
        {
            var result = (Errno)entry.Invoke(null, new object[] { lab })!;
            return new TwinRun(lab, result, null);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is ContractViolationException violation)
        {
            return new TwinRun(lab, null, violation);
        }
        finally
        {
            lab.TearDown();
        }
    }
}
