using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Cli.Inputs;

/// <summary>
/// Loads a project's own analyzer references (e.g. the SDK's LibraryImport or Regex generators, which its code
/// may need in order to compile) apart from the tool's assemblies, resolving their dependencies from the other
/// analyzer paths, while Roslyn itself always comes from the tool so generator types match the compiler's.
/// </summary>
internal sealed class ProjectAnalyzerLoadContext() : AssemblyLoadContext("iommufd-check project analyzers"), IAnalyzerAssemblyLoader
{
    // Everything the tool itself runs on (Roslyn, System.Collections.Immutable, the BCL) is shared, never loaded twice.
    private static readonly HashSet<string> ToolAssemblyNames = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(Path.GetFileNameWithoutExtension)
        .OfType<string>()
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private readonly ConcurrentDictionary<string, string> _pathsBySimpleName = new(StringComparer.OrdinalIgnoreCase);

    public void AddDependencyLocation(string fullPath)
        => _pathsBySimpleName.TryAdd(Path.GetFileNameWithoutExtension(fullPath), fullPath);

    public Assembly LoadFromPath(string fullPath)
    {
        AddDependencyLocation(fullPath);
        return LoadFromAssemblyPath(fullPath);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name ?? string.Empty;
        if (ToolAssemblyNames.Contains(name) || name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
        {
            return null;
        }

        return _pathsBySimpleName.TryGetValue(name, out var path) ? LoadFromAssemblyPath(path) : null;
    }
}
