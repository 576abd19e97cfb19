using System;
using System.Collections.Generic;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>Collects the diagnostics of one analysed body, once per (rule, location).</summary>
internal sealed class DiagnosticSink
{
    private readonly Action<Diagnostic> _report;
    private readonly HashSet<(string, Location)> _seen = new();
    private readonly HashSet<object> _once = new();

    public DiagnosticSink(Action<Diagnostic> report) => _report = report;

    public void Report(DiagnosticDescriptor descriptor, Location location, params object?[] arguments)
        => Report(descriptor, location, null, arguments);

    public void Report(DiagnosticDescriptor descriptor, Location location, IEnumerable<Location>? additionalLocations, params object?[] arguments)
    {
        if (_seen.Add((descriptor.Id, location)))
        {
            _report(Diagnostic.Create(descriptor, location, additionalLocations, arguments));
        }
    }

    /// <summary>True the first time <paramref name="key"/> is asked for (one report per call, whatever uses its result).</summary>
    public bool First(object key) => _once.Add(key);

    /// <summary>
    /// Reports a state rule declared by a contract (a rule ID string): the definite descriptor when no
    /// possible state is allowed, the "on some path" one otherwise. Unknown rule IDs are ignored.
    /// </summary>
    public void ReportRule(string rule, bool definite, Location location, string handleName, string detail)
    {
        if (!ContractDiagnostics.ByRule.TryGetValue(rule, out var descriptors))
        {
            return;
        }

        var descriptor = definite ? descriptors.Definite : descriptors.Maybe;
        Report(descriptor, location, handleName, detail);
    }
}
