using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Package.Tests.Support;

/// <summary>
/// The rules the package's analyzers report: every <see cref="DiagnosticAnalyzer"/> in analyzers/dotnet/cs, loaded from
/// the package (not from the projects) into a load context of its own, asked for its SupportedDiagnostics.
/// </summary>
public static class PackagedRules
{
    public static IReadOnlyList<DiagnosticDescriptor> Load(string analyzersDirectory)
    {
        var context = new PackageAnalyzersLoadContext(analyzersDirectory);
        var descriptors = new Dictionary<string, DiagnosticDescriptor>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(analyzersDirectory, "*.dll").Order(StringComparer.Ordinal))
        {
            foreach (var type in LoadableTypes(context.LoadFromAssemblyPath(path)))
            {
                if (type.IsAbstract || !typeof(DiagnosticAnalyzer).IsAssignableFrom(type) || type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is null)
                {
                    continue;
                }

                foreach (var descriptor in ((DiagnosticAnalyzer)Activator.CreateInstance(type)!).SupportedDiagnostics)
                {
                    descriptors.TryAdd(descriptor.Id, descriptor);
                }
            }
        }

        return descriptors.Values.OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
    }

    // The code-fix assembly's providers need Workspaces, which a command-line build (and this test) does not load;
    // the analyzers are the types that do load.
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

    /// <summary>
    /// Instances of every analyzer and source generator in analyzers/dotnet/cs, as a build loads them (one load
    /// context per call, so each caller gets its own instances).
    /// </summary>
    public static (IReadOnlyList<DiagnosticAnalyzer> Analyzers, IReadOnlyList<ISourceGenerator> Generators) Instantiate(string analyzersDirectory)
    {
        var context = new PackageAnalyzersLoadContext(analyzersDirectory);
        var analyzers = new List<DiagnosticAnalyzer>();
        var generators = new List<ISourceGenerator>();
        foreach (var path in Directory.GetFiles(analyzersDirectory, "*.dll").Order(StringComparer.Ordinal))
        {
            foreach (var type in LoadableTypes(context.LoadFromAssemblyPath(path)).Where(t => !t.IsAbstract && t.IsClass))
            {
                if (typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
                {
                    analyzers.Add((DiagnosticAnalyzer)Activator.CreateInstance(type)!);
                }
                else if (type.GetCustomAttribute<GeneratorAttribute>() is not null)
                {
                    generators.Add(Activator.CreateInstance(type) switch
                    {
                        IIncrementalGenerator incremental => incremental.AsSourceGenerator(),
                        ISourceGenerator generator => generator,
                        _ => throw new InvalidOperationException($"{type} is marked [Generator] but is not one"),
                    });
                }
            }
        }

        return (analyzers, generators);
    }

    /// <summary>Package assemblies resolve each other from the package folder; Roslyn comes from the test's own.</summary>
    private sealed class PackageAnalyzersLoadContext(string directory) : AssemblyLoadContext("IommuContracts package analyzers")
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var candidate = Path.Combine(directory, assemblyName.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
