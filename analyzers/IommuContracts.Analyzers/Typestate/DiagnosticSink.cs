using System;
using System.Collections.Generic;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>Collects the diagnostics of one analysed body, once per (rule, location).</summary>
internal sealed class DiagnosticSink
{
    private readonly Action<Diagnostic>? _report;
    private readonly HashSet<(string, Location)> _seen = new();
    private readonly HashSet<object> _once = new();
    private readonly Dictionary<(string Rule, Location Location), (bool Definite, Func<bool, object[]> Arguments)> _violations = new();
    private readonly HashSet<(string, Location)> _clean = new();

    public DiagnosticSink(Action<Diagnostic> report) => _report = report;

    private DiagnosticSink()
    {
    }

    /// <summary>A new sink for an analysis whose diagnostics are not wanted (a summary, a field pass): nothing is rendered for it.</summary>
    public static DiagnosticSink Discard => new();

    /// <summary>True for <see cref="Discard"/>: reports made into it go nowhere.</summary>
    public bool Discards => _report is null;

    public void Report(DiagnosticDescriptor descriptor, Location location, params object?[] arguments)
        => Report(descriptor, location, null, arguments);

    public void Report(DiagnosticDescriptor descriptor, Location location, IEnumerable<Location>? additionalLocations, params object?[] arguments)
    {
        if (_seen.Add((descriptor.Id, location)))
        {
            _report?.Invoke(Diagnostic.Create(descriptor, location, additionalLocations, arguments));
        }
    }

    /// <summary>A diagnostic another analysis of the same body already made (once per rule and location, like the others).</summary>
    public void Report(Diagnostic diagnostic)
    {
        if (_seen.Add((diagnostic.Id, diagnostic.Location)))
        {
            _report?.Invoke(diagnostic);
        }
    }

    /// <summary>True the first time <paramref name="key"/> is asked for (one report per call, whatever uses its result).</summary>
    public bool First(object key) => _once.Add(key);

    /// <summary>
    /// A state rule broken at <paramref name="location"/> (a rule ID string a contract declares): held until
    /// <see cref="Flush"/>, since a finally block is analysed once per path that runs it and the rule is broken on every
    /// path only if every visit of the location says so. <paramref name="arguments"/> renders the message for the
    /// definite (true) or the "on some path" (false) descriptor. Unknown rule IDs are ignored.
    /// </summary>
    public void Violation(string rule, bool definite, Location location, Func<bool, object[]> arguments)
    {
        if (!ContractDiagnostics.ByRule.ContainsKey(rule))
        {
            return;
        }

        var key = (rule, location);
        _violations[key] = _violations.TryGetValue(key, out var seen) ? (seen.Definite && definite, seen.Arguments) : (definite, arguments);
    }

    /// <summary>A requirement checked at <paramref name="location"/> held on that visit.</summary>
    public void Clean(string rule, Location location) => _clean.Add((rule, location));

    /// <summary>Reports the held violations: definite only where no visit of the location was clean or uncertain.</summary>
    public void Flush()
    {
        foreach (var pair in _violations)
        {
            var (rule, location) = pair.Key;
            var definite = pair.Value.Definite && !_clean.Contains(pair.Key);
            var descriptors = ContractDiagnostics.ByRule[rule];
            Report(definite ? descriptors.Definite : descriptors.Maybe, location, pair.Value.Arguments(definite));
        }

        _violations.Clear();
        _clean.Clear();
    }
}
