using System.Collections.Generic;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// Maps an operation to the handle variable it names: a local, a parameter, a field or auto-property of
/// <c>this</c> (or a static one), through conversions, out-variable declarations and the flow captures the
/// control-flow graph introduces for <c>?.</c>, <c>??</c>, <c>switch</c> and conditional expressions. Built once per
/// graph within a callback (every analysis of a body shares it, see <see cref="GraphMemo"/>) and read-only once built.
/// </summary>
internal sealed class HandleResolver
{
    private readonly ContractSymbols _symbols;
    private readonly ControlFlowGraph _graph;
    private List<ISymbol>? _namedHandles;
    private readonly Dictionary<CaptureId, ISymbol?> _captures = new();
    private readonly Dictionary<CaptureId, ILocalSymbol?> _localCaptures = new();
    private readonly Dictionary<CaptureId, List<IOperation>> _captureValues = new();

    private HandleResolver(ContractSymbols symbols, ControlFlowGraph graph)
    {
        _symbols = symbols;
        _graph = graph;
        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                if (operation is IFlowCaptureOperation capture)
                {
                    var target = Resolve(capture.Value);
                    var local = (Strip(capture.Value) as ILocalReferenceOperation)?.Local;
                    _localCaptures[capture.Id] = _localCaptures.TryGetValue(capture.Id, out var previousLocal) && !SymbolEqualityComparer.Default.Equals(previousLocal, local)
                        ? null
                        : local;

                    // A capture fed from two different variables (a ?: b) names neither.
                    _captures[capture.Id] = _captures.TryGetValue(capture.Id, out var previous) && !SymbolEqualityComparer.Default.Equals(previous, target)
                        ? null
                        : target;

                    if (!_captureValues.TryGetValue(capture.Id, out var values))
                    {
                        _captureValues[capture.Id] = values = new List<IOperation>();
                    }

                    values.Add(capture.Value);
                }
            }
        }
    }

    /// <summary>The resolver of <paramref name="graph"/>'s flow captures (shared by every analysis of the body).</summary>
    public static HandleResolver For(ContractSymbols symbols, ControlFlowGraph graph)
    {
        if (GraphMemo.Of(graph) is not { } facts)
        {
            return new HandleResolver(symbols, graph);
        }

        if (facts.Resolver is not { } resolver || !ReferenceEquals(resolver._symbols, symbols))
        {
            facts.Resolver = resolver = new HandleResolver(symbols, graph);
        }

        return resolver;
    }

    /// <summary>The handle variables the graph's operations name, each once, in the order they are first named.</summary>
    public IReadOnlyList<ISymbol> NamedHandles
    {
        get
        {
            if (_namedHandles is { } known)
            {
                return known;
            }

            var named = new List<ISymbol>();
            var seen = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in GraphOperations.All(_graph))
            {
                if (Resolve(operation) is { } handle && seen.Add(handle))
                {
                    named.Add(handle);
                }
            }

            // Two threads may both compute it: the same list either way.
            _namedHandles = named;
            return named;
        }
    }

    /// <summary>The local a value names, through a flow capture (switch (rc) captures rc).</summary>
    public ILocalSymbol? LocalOf(IOperation? operation) => Strip(operation) switch
    {
        ILocalReferenceOperation local => local.Local,
        IFlowCaptureReferenceOperation capture => _localCaptures.TryGetValue(capture.Id, out var captured) ? captured : null,
        _ => null,
    };

    /// <summary>The values a flow capture is fed from (one per path that sets it).</summary>
    public IReadOnlyList<IOperation> ValuesOf(IFlowCaptureReferenceOperation capture)
        => _captureValues.TryGetValue(capture.Id, out var values) ? values : (IReadOnlyList<IOperation>)System.Array.Empty<IOperation>();

    /// <summary>Whether the capture stands for exactly this variable (and not for a choice between values).</summary>
    public bool NamesCapture(CaptureId id, ISymbol handle)
        => _captures.TryGetValue(id, out var captured) && SymbolEqualityComparer.Default.Equals(captured, handle);

    /// <summary>The tracked handle variable <paramref name="operation"/> names, or null.</summary>
    public ISymbol? Resolve(IOperation? operation)
    {
        var symbol = Name(Strip(operation));
        return symbol is not null && TypeOf(symbol) is { } type && _symbols.HandleTypeOf(type) is not null ? symbol : null;
    }

    public HandleType? HandleTypeOf(ISymbol symbol) => TypeOf(symbol) is { } type ? _symbols.HandleTypeOf(type) : null;

    public static IOperation? Strip(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IDeclarationExpressionOperation declaration:
                    operation = declaration.Expression;
                    break;
                default:
                    return operation;
            }
        }
    }

    public static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    /// <summary>Whether an instance is <c>this</c> (and not the object an initializer fills).</summary>
    public static bool IsThis(IOperation? instance)
        => instance is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

    private ISymbol? Name(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field when IsThis(field.Instance) => field.Field,
        IPropertyReferenceOperation property when property.Arguments.IsEmpty && IsThis(property.Instance)
            && _symbols.HandleTypeOf(property.Property.Type) is not null && IsAutoProperty(property.Property) => property.Property,
        IFlowCaptureReferenceOperation capture => _captures.TryGetValue(capture.Id, out var captured) ? captured : null,
        _ => null,
    };

    // Only a property that stores its value behaves like a variable; a computed one may answer anything.
    // This scans the type's members, so Name asks it only of properties of a handle type (Resolve wants no other).
    private static bool IsAutoProperty(IPropertySymbol property)
    {
        foreach (var member in property.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol { AssociatedSymbol: { } associated } && SymbolEqualityComparer.Default.Equals(associated, property))
            {
                return true;
            }
        }

        return false;
    }
}
