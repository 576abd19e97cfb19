using System.Collections.Generic;
using System.Threading;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// Summaries of a type's own members computed from what the type's fields are known to be (their entry states and
/// what its bool or nullable fields say about them), for calls on <c>this</c> while the type's members are reported: a
/// <c>Dispose</c> that calls its own <c>Detach</c>, whose early return on <c>_hwpt is null</c> only happens when the
/// device is not attached. Computed once per member and set of field states; a member reached again while its own
/// summary is being computed falls back to its plain summary.
/// </summary>
internal sealed class MemberSummaries
{
    private readonly ContractSymbols _symbols;
    private readonly SummaryCache _summaries;
    private readonly Dictionary<ISymbol, ControlFlowGraph> _graphs;
    private readonly IReadOnlyDictionary<ISymbol, StateSet> _entry;
    private readonly FieldFlags? _flags;
    private readonly CancellationToken _cancellation;
    private readonly Dictionary<IMethodSymbol, MethodSummary?> _computed = new(SymbolEqualityComparer.Default);

    public MemberSummaries(ContractSymbols symbols, SummaryCache summaries, Dictionary<ISymbol, ControlFlowGraph> graphs,
        IReadOnlyDictionary<ISymbol, StateSet> entry, FieldFlags? flags, CancellationToken cancellation)
    {
        _symbols = symbols;
        _summaries = summaries;
        _graphs = graphs;
        _entry = entry;
        _flags = flags;
        _cancellation = cancellation;
    }

    /// <summary>The member's summary in this type's context, or null when it is not one of the type's bodies (or is being computed).</summary>
    public MethodSummary? Of(IMethodSymbol method)
    {
        if (_computed.TryGetValue(method, out var known))
        {
            return known;
        }

        if (!_graphs.TryGetValue(method, out var graph))
        {
            return null;
        }

        _computed[method] = null;
        var scope = new MethodScope(_symbols, method, _entry, _summaries, new LocalFunctionGraphs(graph), _cancellation, _flags, this);
        var summary = TypestateAnalysis.Run(graph, scope, DiagnosticSink.Discard);
        _computed[method] = summary;
        return summary;
    }
}
