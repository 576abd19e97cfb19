using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Generators.Model;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Generators.Emit;

/// <summary>
/// One generated file per declared type, with a hint name no other file of the compilation has. A type yields
/// one model per attributed declaration (both parts of a partial class, or a declaration pasted twice while
/// editing), so models are deduplicated by type name. Roslyn compares hint names case-insensitively, so types
/// whose names differ only in case (<c>Cmd</c> and <c>CMD</c>) each get a stable disambiguator derived from
/// their exact name; every other hint name stays as it was.
/// </summary>
internal static class UniqueOutputs
{
    public static IncrementalValuesProvider<GeneratedOutput<T>> Of<T>(IncrementalValuesProvider<T> models, string suffix)
        where T : class, INamedModel, IEquatable<T>
        => models.Collect().SelectMany((all, _) => Assign(all, suffix));

    /// <summary>The first model of each type name, each with its hint name.</summary>
    public static ImmutableArray<GeneratedOutput<T>> Assign<T>(ImmutableArray<T> models, string suffix)
        where T : class, INamedModel
    {
        var unique = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            if (seen.Add(QualifiedName(model)))
            {
                unique.Add(model);
            }
        }

        var sharedIgnoringCase = unique
            .GroupBy(QualifiedName, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToImmutableHashSet(StringComparer.OrdinalIgnoreCase);

        return unique
            .Select(model =>
            {
                var name = QualifiedName(model);
                var hint = sharedIgnoringCase.Contains(name) ? name + "-" + StableHash(name) : name;
                return new GeneratedOutput<T>(model, hint + suffix + ".g.cs");
            })
            .ToImmutableArray();
    }

    private static string QualifiedName(INamedModel model)
        => model.Namespace.Length > 0 ? model.Namespace + "." + model.Name : model.Name;

    // FNV-1a over the exact (case-sensitive) name: the same on every run and machine, unlike string.GetHashCode.
    private static string StableHash(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }
}
