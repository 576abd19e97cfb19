using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// Names a call's result: the variable it was stored in (a symbol), the flow capture that holds it (a
/// <see cref="CaptureId"/>: <c>var rc = attached ? Replace(...) : Attach(...)</c>), or the invocation itself when it is
/// tested in place (<c>if (Bind(...) != Errno.None)</c>).
/// </summary>
internal sealed class ResultKeyComparer : IEqualityComparer<object>
{
    public static ResultKeyComparer Instance { get; } = new();

    public new bool Equals(object? x, object? y) => (x, y) switch
    {
        (ISymbol a, ISymbol b) => SymbolEqualityComparer.Default.Equals(a, b),
        (CaptureId a, CaptureId b) => a.Equals(b),
        _ => ReferenceEquals(x, y),
    };

    public int GetHashCode(object obj) => obj switch
    {
        ISymbol symbol => SymbolEqualityComparer.Default.GetHashCode(symbol),
        CaptureId capture => capture.GetHashCode(),
        _ => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj),
    };
}
