using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// The bodies of one type that holds handles in fields, gathered until the whole type has been seen: the
/// states any member puts each field in become the fields' entry states for every member, and a field that
/// is acquired but released by no member is reported.
/// </summary>
internal sealed class TypeBodies
{
    private readonly object _gate = new();
    private readonly ContractSymbols _symbols;
    private readonly ImmutableArray<ISymbol> _fields;
    private readonly List<(ISymbol Owner, ControlFlowGraph Graph)> _bodies = new();
    private readonly Dictionary<ISymbol, StateSet> _reached = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _acquired = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _released = new(SymbolEqualityComparer.Default);

    public TypeBodies(ContractSymbols symbols, ImmutableArray<ISymbol> fields)
    {
        _symbols = symbols;
        _fields = fields;
    }

    /// <summary>The fields and auto-properties of <paramref name="type"/> whose type is a handle type.</summary>
    public static ImmutableArray<ISymbol> HandleFields(INamedTypeSymbol type, ContractSymbols symbols)
        => type.GetMembers()
            .Where(m => m is IFieldSymbol { AssociatedSymbol: null, IsImplicitlyDeclared: false } or IPropertySymbol)
            .Where(m => HandleResolver.TypeOf(m) is { } t && symbols.HandleTypeOf(t) is not null)
            .Where(m => m is not IPropertySymbol property || type.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property)))
            .ToImmutableArray();

    public void Add(ISymbol owner, IOperation root, ControlFlowGraph graph)
    {
        var copies = LocalCopiesOfFields(root);
        lock (_gate)
        {
            _bodies.Add((owner, graph));
            foreach (var invocation in root.DescendantsAndSelf().OfType<IInvocationOperation>())
            {
                Record(invocation, copies);
            }
        }
    }

    public void Analyze(DiagnosticSink sink, System.Action<ISymbol, System.Exception> failed)
    {
        // Only a type that acquires the field drives its lifecycle; a field filled from outside stays unknown.
        var entry = _reached.Where(p => _acquired.Contains(p.Key))
            .ToDictionary(p => p.Key, p => p.Value, (IEqualityComparer<ISymbol>)SymbolEqualityComparer.Default);
        foreach (var (owner, graph) in _bodies)
        {
            try
            {
                TypestateAnalysis.Run(graph, new MethodScope(_symbols, owner, entry), sink);
            }
            catch (System.Exception exception) when (exception is not System.OperationCanceledException)
            {
                failed(owner, exception);
            }
        }

        foreach (var field in _fields)
        {
            if (_acquired.Contains(field) && !_released.Contains(field) && field.Locations.FirstOrDefault() is { } location)
            {
                sink.Report(ContractDiagnostics.FieldNeverReleased, location, field.Name, field.ContainingType.Name);
            }
        }
    }

    private void Record(IInvocationOperation invocation, Dictionary<ILocalSymbol, ISymbol> copies)
    {
        if (_symbols.ContractOf(invocation.TargetMethod) is not { } contract)
        {
            return;
        }

        if (contract.Receiver is { } receiver && FieldNamed(invocation.Instance, copies) is { } receiverField)
        {
            Reach(receiverField, receiver);
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && contract.ParameterContract(parameter) is { } handle && FieldNamed(argument.Value, copies) is { } field)
            {
                Reach(field, handle);
            }
        }
    }

    private void Reach(ISymbol field, HandleContract contract)
    {
        var states = _reached.TryGetValue(field, out var known) ? known : StateSet.Empty;
        if (contract.Acquires >= 0)
        {
            states = states.With(contract.Acquires);
            _acquired.Add(field);
        }

        if (contract.TransitionTo >= 0)
        {
            states = states.With(contract.TransitionTo);
        }

        if (contract.Releases || contract.TakesOwnership)
        {
            _released.Add(field);
        }

        if (!states.IsEmpty)
        {
            _reached[field] = states;
        }
    }

    // A field named directly, or through a local that copies it (var d = _idev; _idev is { } d).
    private ISymbol? FieldNamed(IOperation? operation, Dictionary<ILocalSymbol, ISymbol> copies)
    {
        switch (HandleResolver.Strip(operation))
        {
            case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field when _fields.Contains(field.Field, SymbolEqualityComparer.Default):
                return field.Field;
            case IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation } property when _fields.Contains(property.Property, SymbolEqualityComparer.Default):
                return property.Property;
            case ILocalReferenceOperation local when copies.TryGetValue(local.Local, out var copied):
                return copied;
            default:
                return null;
        }
    }

    private Dictionary<ILocalSymbol, ISymbol> LocalCopiesOfFields(IOperation root)
    {
        var copies = new Dictionary<ILocalSymbol, ISymbol>(SymbolEqualityComparer.Default);
        var empty = new Dictionary<ILocalSymbol, ISymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in root.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation { Initializer.Value: { } value } declarator when FieldNamed(value, empty) is { } field:
                    copies[declarator.Symbol] = field;
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when FieldNamed(assignment.Value, empty) is { } field:
                    copies[target.Local] = field;
                    break;
                case ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } stored when FieldNamed(stored.Target, empty) is { } field
                    && HandleResolver.Strip(stored.Value) is ILocalReferenceOperation source:
                    // _idev = idev: the local's acquisition is the field's.
                    copies[source.Local] = field;
                    break;
                case IIsPatternOperation pattern when FieldNamed(pattern.Value, empty) is { } field:
                    foreach (var declared in pattern.Pattern.DescendantsAndSelf().OfType<IPatternOperation>())
                    {
                        if (((declared as IRecursivePatternOperation)?.DeclaredSymbol ?? (declared as IDeclarationPatternOperation)?.DeclaredSymbol) is ILocalSymbol local)
                        {
                            copies[local] = field;
                        }
                    }

                    break;
            }
        }

        return copies;
    }
}
