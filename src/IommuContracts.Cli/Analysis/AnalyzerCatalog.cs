using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using IommuContracts.Cli.Inputs;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Cli.Analysis;

/// <summary>
/// The IommuContracts generators and analyzers the tool runs, found by reflection in the generator and analyzer
/// assemblies shipped next to it: every concrete [DiagnosticAnalyzer] for C# (suppressors included) and every
/// [Generator]. Analyzers added to those assemblies later are picked up with no change here; an assembly with
/// none is fine.
/// </summary>
internal sealed record AnalyzerCatalog(
    ImmutableArray<DiagnosticAnalyzer> Analyzers,
    ImmutableArray<ISourceGenerator> Generators)
{
    public ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = Analyzers
        .SelectMany(analyzer => analyzer.SupportedDiagnostics)
        .Concat(Analyzers.OfType<DiagnosticSuppressor>().SelectMany(s => s.SupportedSuppressions.Select(ToDescriptor)))
        .GroupBy(descriptor => descriptor.Id, StringComparer.Ordinal)
        .Select(group => group.First())
        .OrderBy(descriptor => descriptor.Id, StringComparer.Ordinal)
        .ToImmutableArray();

    public static AnalyzerCatalog LoadShipped()
        => Load([ShippedAssemblies.PathOf(ShippedAssemblies.Generators), ShippedAssemblies.PathOf(ShippedAssemblies.Analyzers)]);

    public static AnalyzerCatalog Load(IEnumerable<string> assemblyPaths)
    {
        var analyzers = ImmutableArray.CreateBuilder<DiagnosticAnalyzer>();
        var generators = ImmutableArray.CreateBuilder<ISourceGenerator>();
        foreach (var path in assemblyPaths)
        {
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(path);
            foreach (var type in LoadableTypes(assembly).Where(IsInstantiable).OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                if (typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && SupportsCSharp(type.GetCustomAttribute<DiagnosticAnalyzerAttribute>()?.Languages))
                {
                    analyzers.Add((DiagnosticAnalyzer)Activator.CreateInstance(type, nonPublic: true)!);
                }
                else if (SupportsCSharp(type.GetCustomAttribute<GeneratorAttribute>()?.Languages))
                {
                    generators.Add(Activator.CreateInstance(type, nonPublic: true) switch
                    {
                        IIncrementalGenerator incremental => incremental.AsSourceGenerator(),
                        ISourceGenerator generator => generator,
                        _ => throw new InvalidOperationException($"{type.FullName} is marked [Generator] but is not a generator"),
                    });
                }
            }
        }

        return new AnalyzerCatalog(analyzers.ToImmutable(), generators.ToImmutable());
    }

    // Internal analyzer classes (with an implicit or internal constructor) count too: accessibility is not a contract here.
    private static bool IsInstantiable(Type type)
        => type is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false }
            && type.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes) is not null;

    private static bool SupportsCSharp(string[]? languages) => languages is not null && languages.Contains(LanguageNames.CSharp);

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }

    // A suppression has an ID and a justification but no descriptor; SARIF still lists it as a rule.
    private static DiagnosticDescriptor ToDescriptor(SuppressionDescriptor suppression) => new(
        suppression.Id,
        $"Suppresses {suppression.SuppressedDiagnosticId}",
        suppression.Justification,
        "IommuContracts.Suppressions",
        DiagnosticSeverity.Hidden,
        isEnabledByDefault: true);
}
