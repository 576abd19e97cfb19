using System.Collections.Generic;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// Per handle acquired in a body, the exits (returns and throws) that leave it owned: all of them is IOMMU0008, some
/// of them IOMMU0058 (one diagnostic per leaking line). The leaking exits are the diagnostics' additional locations.
/// </summary>
internal static class LeakReport
{
    public static void Report(List<MethodExit> exits, DiagnosticSink sink, MethodScope scope)
    {
        var sites = new Dictionary<IOperation, (string Name, HandleType Type, List<Location> Leaked, int Released, ITypeSymbol? Declared)>();
        foreach (var exit in exits)
        {
            foreach (var pair in exit.State.Handles)
            {
                if (pair.Value.AcquiredBy is not { } site)
                {
                    continue;
                }

                var entry = sites.TryGetValue(site, out var found) ? found : (pair.Key.Name, pair.Value.Type, new List<Location>(), 0, HandleResolver.TypeOf(pair.Key));
                if (pair.Value.Owns)
                {
                    if (!entry.Item3.Contains(exit.At))
                    {
                        entry.Item3.Add(exit.At);
                    }
                }
                else
                {
                    entry.Item4++;
                }

                sites[site] = entry;
            }
        }

        foreach (var pair in sites)
        {
            var (name, type, leaked, released, declared) = pair.Value;
            if (leaked.Count == 0)
            {
                continue;
            }

            var location = pair.Key.Syntax.GetLocation();
            var ordered = leaked.OrderBy(l => l.SourceSpan.Start).ToList();
            if (released == 0)
            {
                sink.Report(ContractDiagnostics.Leak, location, ordered, name, "it is still held where the method leaves at " + Lines(ordered), ReleaseHint(pair.Key, type, scope.Symbols, declared));
                continue;
            }

            foreach (var group in ordered.GroupBy(Line).OrderBy(g => g.Key))
            {
                sink.Report(ContractDiagnostics.MaybeLeak, location, group.ToList(), name, group.Key);
            }
        }
    }

    /// <summary>"line 12", "lines 12 and 20", "lines 12, 15 and 20".</summary>
    public static string Lines(IReadOnlyList<Location> locations)
    {
        var lines = locations.Select(Line).Distinct().OrderBy(l => l).Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return lines.Count == 1 ? "line " + lines[0] : "lines " + string.Join(", ", lines.Take(lines.Count - 1)) + " and " + lines[lines.Count - 1];
    }

    public static int Line(Location location) => location.GetLineSpan().StartLinePosition.Line + 1;

    /// <summary>The API's own release call for this handle type (e.g. Iommufd.DeviceUnbind), for the message.</summary>
    public static string ReleaseHint(IOperation site, HandleType type, ContractSymbols symbols, ITypeSymbol? declared = null)
    {
        if (site is IInvocationOperation { TargetMethod: { } method })
        {
            foreach (var api in new[] { method.ContainingType, declared as INamedTypeSymbol, declared?.BaseType, type.Type as INamedTypeSymbol })
            {
                foreach (var candidate in api?.GetMembers().OfType<IMethodSymbol>() ?? Enumerable.Empty<IMethodSymbol>())
                {
                    if (candidate.Parameters.Any(p => ContractSymbols.Has(p, symbols.Releases) && SymbolEqualityComparer.Default.Equals(symbols.HandleTypeOf(p.Type)?.Type, type.Type)))
                    {
                        return api!.Name + "." + candidate.Name;
                    }

                    if (!candidate.IsStatic && ContractSymbols.Has(candidate, symbols.Releases) && symbols.HandleTypeOf(candidate.ContainingType) is { } owner
                        && SymbolEqualityComparer.Default.Equals(owner.Type, type.Type))
                    {
                        return candidate.Name + "()";
                    }
                }
            }
        }

        return "its release call";
    }
}
