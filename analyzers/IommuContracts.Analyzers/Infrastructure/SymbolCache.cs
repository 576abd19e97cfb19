using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Infrastructure;

/// <summary>
/// The dictionaries that cache a per-compilation answer for each symbol. Every analyzer thread adds to them while the
/// compiler binds on the others, thousands of entries per compilation: the default (one lock per core, 31 buckets)
/// makes adders wait on each other and on each of a dozen resizes, every one of which takes all the locks.
/// </summary>
internal static class SymbolCache
{
    private const int ConcurrencyLevel = 32;
    private const int InitialCapacity = 1024;

    public static ConcurrentDictionary<TSymbol, TValue> Create<TSymbol, TValue>()
        where TSymbol : class, ISymbol
        => new(ConcurrencyLevel, InitialCapacity, SymbolEqualityComparer.Default);
}
