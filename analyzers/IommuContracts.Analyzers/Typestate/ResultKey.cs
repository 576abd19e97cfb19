using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// Names a call's result: the local it was stored in (a symbol), or the invocation itself when it is tested
/// in place (<c>if (Bind(...) != Errno.None)</c>).
/// </summary>
internal sealed class ResultKeyComparer : IEqualityComparer<object>
{
    public static ResultKeyComparer Instance { get; } = new();

    public new bool Equals(object? x, object? y)
        => x is ISymbol a && y is ISymbol b ? SymbolEqualityComparer.Default.Equals(a, b) : ReferenceEquals(x, y);

    public int GetHashCode(object obj)
        => obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
}
