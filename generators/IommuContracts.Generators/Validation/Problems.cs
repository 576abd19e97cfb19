using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Generators.Validation;

/// <summary>
/// Collects declaration problems. The analyzer keeps them as diagnostics; the generator only asks whether
/// there were any, so no <see cref="Location"/> ever reaches a generator model.
/// </summary>
internal sealed class Problems
{
    private readonly List<Diagnostic>? _diagnostics;

    private Problems(List<Diagnostic>? diagnostics) => _diagnostics = diagnostics;

    public static Problems CountOnly() => new(null);

    public static Problems Collecting() => new(new List<Diagnostic>());

    public bool Any { get; private set; }

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics ?? (IReadOnlyList<Diagnostic>)System.Array.Empty<Diagnostic>();

    public void Add(DiagnosticDescriptor descriptor, ISymbol? at, params object?[] arguments)
    {
        Any = true;
        _diagnostics?.Add(Diagnostic.Create(descriptor, at?.Locations.FirstOrDefault(), arguments));
    }
}
