using System.Collections.Immutable;
using System.Reflection;
using IommuContracts.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Benchmarks;

/// <summary>
/// The analyzers the analyzer benchmarks run, each set on its own: ours (every analyzer of IommuContracts.Analyzers,
/// found by reflection), an empty analyzer (the analyzer driver's own cost), CA2000 from
/// Microsoft.CodeAnalysis.NetAnalyzers and all of IDisposableAnalyzers. The peers are loaded from their NuGet package
/// folders (restored but never applied to this project) with <see cref="AnalyzerFileReference"/>, as the compiler
/// loads them.
/// </summary>
public static class AnalyzerSets
{
    public const string Ca2000 = "CA2000";

    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> s_ours = new(LoadOurs);
    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> s_ca2000 = new(LoadCa2000);
    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> s_idisposable = new(LoadIDisposableAnalyzers);

    /// <summary>Every concrete C# <see cref="DiagnosticAnalyzer"/> in the IommuContracts.Analyzers assembly.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Ours => s_ours.Value;

    /// <summary>An analyzer that registers nothing: what the driver costs before any analyzer does work.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Empty { get; } = [new EmptyAnalyzer()];

    /// <summary>
    /// An analyzer that asks for every method's operation block and every invocation and does nothing with them: what
    /// any IOperation-based analyzer (ours, CA2000, the SDK's NetAnalyzers that every build runs) pays the driver first.
    /// </summary>
    public static ImmutableArray<DiagnosticAnalyzer> OperationFloor { get; } = [new NoOpOperationAnalyzer()];

    /// <summary>DisposeObjectsBeforeLosingScope (CA2000) alone, from the NetAnalyzers package.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> DisposeObjectsBeforeLosingScope => s_ca2000.Value;

    /// <summary>Every C# analyzer of the IDisposableAnalyzers package (IDISP001 …).</summary>
    public static ImmutableArray<DiagnosticAnalyzer> IDisposableAnalyzers => s_idisposable.Value;

    /// <summary>The package folder of a peer analyzer package, as restored for this project (recorded at build time).</summary>
    public static string PackageFolder(string key)
        => typeof(AnalyzerSets).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value is { Length: > 0 } folder
           && Directory.Exists(folder)
            ? folder
            : throw new InvalidOperationException($"Analyzer benchmarks: the package folder '{key}' was not recorded at build time or does not exist; restore the project.");

    private static ImmutableArray<DiagnosticAnalyzer> LoadOurs()
    {
        var analyzers = typeof(TypestateAnalyzer).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
                        && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>()?.Languages.Contains(LanguageNames.CSharp) == true)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        return analyzers.Length > 0 ? analyzers : throw new InvalidOperationException("Analyzer benchmarks: no analyzer found in IommuContracts.Analyzers.");
    }

    private static ImmutableArray<DiagnosticAnalyzer> LoadCa2000()
    {
        var path = Path.Combine(PackageFolder("NetAnalyzersPackage"), "analyzers", "dotnet", "cs", "Microsoft.CodeAnalysis.NetAnalyzers.dll");
        var ca2000 = Load(path).Where(a => a.SupportedDiagnostics.Any(d => d.Id == Ca2000)).ToImmutableArray();
        return ca2000.Length == 1 ? ca2000 : throw new InvalidOperationException($"Analyzer benchmarks: expected one CA2000 analyzer in {path}, found {ca2000.Length}.");
    }

    private static ImmutableArray<DiagnosticAnalyzer> LoadIDisposableAnalyzers()
    {
        var path = Path.Combine(PackageFolder("IDisposableAnalyzersPackage"), "analyzers", "dotnet", "cs", "IDisposableAnalyzers.dll");
        var analyzers = Load(path);
        return analyzers.Length > 0 ? analyzers : throw new InvalidOperationException($"Analyzer benchmarks: no analyzer loaded from {path}.");
    }

    private static ImmutableArray<DiagnosticAnalyzer> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Analyzer benchmarks: {path} does not exist.");
        }

        var reference = new AnalyzerFileReference(path, new PackageAnalyzerLoader());
        var failures = new List<string>();
        reference.AnalyzerLoadFailed += (_, e) => failures.Add($"{e.TypeName}: {e.ErrorCode} {e.Message}");
        var analyzers = reference.GetAnalyzers(LanguageNames.CSharp);
        return failures.Count == 0
            ? analyzers
            : throw new InvalidOperationException($"Analyzer benchmarks: loading {path} failed: " + string.Join("; ", failures.Take(5)));
    }

    /// <summary>
    /// Loads analyzer assemblies into the default context, so their references to Microsoft.CodeAnalysis bind to the
    /// (newer) copy this process runs; dependencies next to the assembly are found by <see cref="Assembly.LoadFrom(string)"/>.
    /// </summary>
    private sealed class PackageAnalyzerLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}

/// <summary>
/// Registers nothing, reports nothing: run through the same driver, it measures the driver itself (the EmptyAnalyzer of
/// roslyn-analyzers' performance tests). RS1036 / RS1041 are about shipping analyzers, which this one is not.
/// </summary>
#pragma warning disable RS1036, RS1041, RS2008
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmptyAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new(
        "EMPTY0001", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Never];

    public override void Initialize(AnalysisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
    }
}

/// <summary>Registers an operation block action and an invocation action that do nothing (see <see cref="AnalyzerSets.OperationFloor"/>).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NoOpOperationAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new(
        "NOOP0001", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Never];

    public override void Initialize(AnalysisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationBlockAction(static _ => { });
        context.RegisterOperationAction(static _ => { }, OperationKind.Invocation);
    }
}
#pragma warning restore RS1036, RS1041, RS2008
