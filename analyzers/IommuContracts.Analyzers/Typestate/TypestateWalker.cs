using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// The transfer function: evaluates one operation of a basic block in evaluation order, checks every call's
/// contract (declared, or inferred from the callee's summary) against the handles' possible states and applies the
/// call's effects. Reports, and records what the body does to the handles it was given (for its summary), into the
/// record of the block being visited.
/// </summary>
internal sealed partial class TypestateWalker
{
    private readonly MethodScope _scope;
    private readonly ControlFlowGraph _graph;
    private readonly Dictionary<IFlowAnonymousFunctionOperation, ImmutableArray<ISymbol>> _captured = new();
    private readonly Dictionary<IMethodSymbol, ImmutableArray<ISymbol>> _capturedByLocalFunction = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IOperation, HandleFacts> _returnedByCall = new();
    private readonly Dictionary<ISymbol, HashSet<ISymbol>> _fieldCopies = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<StateSet, bool> _variableKeyMoves = new();
    private readonly Dictionary<IOperation, bool> _reportedByUncheckedResult = new();

    public TypestateWalker(MethodScope scope, HandleResolver resolver, ControlFlowGraph graph)
    {
        _scope = scope;
        Resolver = resolver;
        _graph = graph;
    }

    public HandleResolver Resolver { get; }

    /// <summary>
    /// Where the visit of the current block puts what it reports and what it records for the body's summary (what the
    /// body does to the handles it was handed); null while nothing is kept.
    /// </summary>
    public VisitRecord? Record { get; set; }

    // Where reports go: nowhere (and no message is rendered) when the body's diagnostics are not wanted.
    private VisitRecord? Reports => Record is { KeepsReports: true } record ? record : null;

    /// <summary>States on the paths where a call just visited throws (a callee whose summary has an explicit throw).</summary>
    public List<(FlowState State, IOperation At)> Throwing { get; } = new();

    /// <summary>Entry slots (parameters, fields, captured variables) whose handle some path stores, returns or passes on.</summary>
    public HashSet<ISymbol> HandedOn { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Fields of <c>this</c> that get a handle acquired by this body (or by a callee it calls on <c>this</c>).</summary>
    public HashSet<ISymbol> FieldsAcquired { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Entry slots whose handle some path releases (or hands on).</summary>
    public HashSet<ISymbol> ReleasedSlots { get; } = new(SymbolEqualityComparer.Default);

    /// <summary>Fields of <c>this</c> whose handle this body releases or hands on.</summary>
    public HashSet<ISymbol> FieldsReleased { get; } = new(SymbolEqualityComparer.Default);

    public MethodScope Scope => _scope;

    private ContractSymbols Symbols => _scope.Symbols;

    public HandleFacts FactsOf(FlowState state, ISymbol handle)
    {
        if (state.TryGet(handle, out var facts))
        {
            return facts;
        }

        var canonical = state.Canonical(handle);
        return _scope.EntryFacts(canonical, Resolver.HandleTypeOf(canonical)!);
    }

    /// <summary>Evaluates <paramref name="operation"/>; <paramref name="resultKey"/> names where an Errno or bool result goes.</summary>
    public FlowState Visit(IOperation? operation, FlowState state, object? resultKey = null)
    {
        var after = VisitOperation(operation, state, resultKey);
        return operation is null || after.IsDead ? after : ForgetReassignedKeys(after, operation);
    }

    private FlowState VisitOperation(IOperation? operation, FlowState state, object? resultKey)
    {
        switch (operation)
        {
            case null:
                return state;
            case IInvocationOperation invocation:
                return VisitInvocation(invocation, state, resultKey ?? invocation);
            case IObjectCreationOperation creation:
                return VisitCreation(creation, state);
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local.Type.SpecialType: >= SpecialType.System_SByte and <= SpecialType.System_UInt64 } counter } assignment:
                state = Visit(assignment.Value, state);
                return state.WithInt(counter.Local, HandleResolver.Strip(assignment.Value)?.ConstantValue is { HasValue: true, Value: { } constant }
                    ? IntegerConstant.Of(constant)
                    : null);
            case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation counter } step:
                return Visit(step.Target, state).WithInt(counter.Local, null);
            case ICompoundAssignmentOperation { Target: ILocalReferenceOperation counter } compound:
                return Visit(compound.Value, state).WithInt(counter.Local, null);
            case ISimpleAssignmentOperation assignment:
                return VisitAssignment(assignment, state);
            case IFlowCaptureOperation capture:
                // A result held by the capture (one arm of a conditional) is tested, or assigned on, through it.
                state = Visit(capture.Value, state, resultKey ?? capture.Id);

                // A capture that may hold this handle or something else (c ? idev : null) carries it where the
                // analysis does not follow.
                return Resolver.Resolve(capture.Value) is { } captured && !Resolver.NamesCapture(capture.Id, captured)
                    ? Escape(state, captured)
                    : state;
            case IConversionOperation conversion:
                return Visit(conversion.Operand, state, resultKey);
            case IFlowAnonymousFunctionOperation lambda:
                return Forget(state, CapturedHandles(lambda));
            case IDelegateCreationOperation { Target: IMethodReferenceOperation { Method: { MethodKind: MethodKind.LocalFunction } localFunction } }:
                // A local function turned into a delegate runs whenever its holder wants, like a lambda.
                return Forget(state, CapturedByLocalFunction(localFunction));
            case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation or IFlowCaptureReferenceOperation:
                return VisitReference(operation, state);
            default:
                foreach (var child in operation.ChildOperations)
                {
                    state = Visit(child, state);
                }

                return state;
        }
    }

    private FlowState VisitReference(IOperation reference, FlowState state)
    {
        if (Resolver.Resolve(reference) is not { } handle)
        {
            // The instance of a member access is itself a reference: evaluate it.
            return reference is IMemberReferenceOperation { Instance: { } instance } ? Visit(instance, state) : state;
        }

        var parent = Context(reference);
        switch (parent)
        {
            case IPropertyReferenceOperation query when ReferenceEquals(HandleResolver.Strip(query.Instance), reference)
                && ContractSymbols.Has(query.Property, Symbols.StateQuery):
                // Asking the state is how mistakes are avoided; a released handle answers it too.
                return state;
            case IMemberReferenceOperation member when ReferenceEquals(HandleResolver.Strip(member.Instance), reference):
                return CheckNotReleased(state, handle, reference);
            case IInterpolationOperation:
                return CheckNotReleased(state, handle, reference);
            case IBinaryOperation or IIsNullOperation or IIsPatternOperation or ISimpleAssignmentOperation or IFlowCaptureOperation
                or INameOfOperation or IInvocationOperation or IArgumentOperation or IObjectCreationOperation:
                // Comparisons and copies change nothing here; calls and arguments are handled by the call.
                return state;
            default:
                // Anything else (a return, an array, a tuple, a collection initializer) may keep the handle; all but a
                // return keep it in another object.
                return Escape(state, handle, shared: parent is not null);
        }
    }

    private FlowState VisitAssignment(ISimpleAssignmentOperation assignment, FlowState state)
    {
        var target = Resolver.Resolve(assignment.Target);
        var value = HandleResolver.Strip(assignment.Value);

        if (PresenceVariable(assignment.Target) is { } present)
        {
            // A field whose presence is a flag of the type (a HwptId? kept while attached): set, cleared, or unknown.
            state = Visit(assignment.Value, state).WithoutFlag(present);
            var stored = HandleResolver.Strip(assignment.Value);
            bool? isSet = stored?.ConstantValue is { HasValue: true, Value: null } || stored is IDefaultValueOperation ? false
                : stored?.Type is { IsValueType: true } type && type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T || stored is IObjectCreationOperation ? true
                : null;
            return state.WithFlag(present, isSet);
        }

        if (ResultVariable(assignment.Target) is { } key)
        {
            // A new result or flag value replaces whatever the variable said before.
            state = state.WithoutFlag(key);
            state = Visit(assignment.Value, state, key);
            return state.Flags.ContainsKey(key) ? state : AssignOutcome(state, key, value);
        }

        if (target is null)
        {
            if (assignment.Target is IMemberReferenceOperation { Instance: { } instance })
            {
                state = Visit(instance, state);
            }

            state = Visit(assignment.Value, state);

            // A handle stored anywhere the analysis does not follow (another object, an array) is handed on.
            return Resolver.Resolve(value) is { } stored ? Escape(state, stored, shared: true) : state;
        }

        state = Visit(assignment.Value, state);
        var ownedElsewhere = target is not ILocalSymbol;
        if (Resolver.Resolve(value) is { } source)
        {
            // A copy: both names hold the same handle from here on. Stored in a field or an out / ref parameter,
            // it is the object's or the caller's to release now.
            var copied = FactsOf(state, source);
            state = state.With(source, copied);
            if (ownedElsewhere)
            {
                RecordFieldAcquired(target, copied);
                state = Escape(state, source);
                if (target is IFieldSymbol or IPropertySymbol)
                {
                    // Remembered past the merges that drop the alias: releasing the local releases what the field holds.
                    RememberFieldCopy(state.Canonical(source), target);
                }
            }

            return state.Alias(target, source);
        }

        var facts = FactsOfValue(value!, state, Resolver.HandleTypeOf(target)!);
        if (ownedElsewhere)
        {
            RecordFieldAcquired(target, facts);
            facts = facts.AsEscaped();
        }

        return state.Assign(target, facts);
    }

    /// <summary>The facts of the handle an expression produces (a variable, null, a call's result).</summary>
    public HandleFacts FactsOfValue(IOperation value, FlowState state, HandleType type)
    {
        value = HandleResolver.Strip(value)!;
        if (Resolver.Resolve(value) is { } source)
        {
            return FactsOf(state, source);
        }

        if (value.ConstantValue is { HasValue: true, Value: null } || value is IDefaultValueOperation)
        {
            return new HandleFacts(type, StateSet.Of(StateSet.Absent));
        }

        if (_returnedByCall.TryGetValue(value, out var returned))
        {
            return returned;
        }

        if (value is IInvocationOperation call && Symbols.ContractOf(call.TargetMethod) is { ReturnAcquires: >= 0 } acquiring)
        {
            // [return: Acquires]: the caller now owns a live handle.
            return new HandleFacts(type, StateSet.Of(acquiring.ReturnAcquires), acquiredBy: call, keys: KeyedStates.Fresh(acquiring.ReturnAcquires));
        }

        if (value is IInvocationOperation or IObjectCreationOperation)
        {
            // A handle a method outside the analysis hands out starts in its type's first state.
            return new HandleFacts(type, type.States.Length > 0 ? StateSet.Of(0) : type.Live);
        }

        return HandleFacts.UnknownOf(type);
    }

    // Stores a bool or Errno value that is not a call with open effects: a constant, a copy of another result, a test of one.
    private FlowState AssignOutcome(FlowState state, object key, IOperation? value)
    {
        if (value is null)
        {
            return state;
        }

        if (value.ConstantValue is { HasValue: true, Value: bool constant })
        {
            return state.WithFlag(key, constant);
        }

        if (IsZero(value) is { } zero && IsResultType(value.Type))
        {
            return state.WithFlag(key, zero);
        }

        if (ResultKey(value, state) is { } source && state.Flags.TryGetValue(source, out var copied))
        {
            return state.WithFlag(key, null).CopyFlag(key, copied);
        }

        // ok = rc == Errno.None: the bool says what the result said.
        if (value is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } test)
        {
            var equals = test.OperatorKind == BinaryOperatorKind.Equals;
            foreach (var (tested, other) in new[] { (test.LeftOperand, test.RightOperand), (test.RightOperand, test.LeftOperand) })
            {
                if (ResultKey(tested, state) is { } result && IsZero(other) == true && state.Flags.TryGetValue(result, out var flag))
                {
                    return state.CopyFlag(key, equals ? flag : flag.Negated());
                }
            }
        }

        return state;
    }

    private bool IsResultType(ITypeSymbol? type)
        => type is not null && (SymbolEqualityComparer.Default.Equals(type, Symbols.Errno) || type.SpecialType is SpecialType.System_Int32);

    // A lambda may use or release any handle it captures, at any time: stop tracking those.
    private FlowState Forget(FlowState state, ImmutableArray<ISymbol> captured)
    {
        foreach (var handle in captured)
        {
            state = MakeUnknown(state, handle);
        }

        return state;
    }

    // The handles a lambda names that it did not declare, in the order it names them. They do not depend on
    // the state, so the lambda's graph is walked once rather than on every visit of the fixpoint.
    private ImmutableArray<ISymbol> CapturedHandles(IFlowAnonymousFunctionOperation lambda)
    {
        if (!_captured.TryGetValue(lambda, out var known))
        {
            known = Captured(_graph.GetAnonymousFunctionControlFlowGraph(lambda), lambda.Symbol);
            _captured[lambda] = known;
        }

        return known;
    }

    private ImmutableArray<ISymbol> CapturedByLocalFunction(IMethodSymbol localFunction)
    {
        if (!_capturedByLocalFunction.TryGetValue(localFunction, out var known))
        {
            known = _scope.LocalFunctions?.GraphOf(localFunction) is { } graph ? Captured(graph, localFunction) : ImmutableArray<ISymbol>.Empty;
            _capturedByLocalFunction[localFunction] = known;
        }

        return known;
    }

    private ImmutableArray<ISymbol> Captured(ControlFlowGraph graph, ISymbol owner)
    {
        var handles = ImmutableArray.CreateBuilder<ISymbol>();
        var resolver = HandleResolver.For(Symbols, graph);
        foreach (var reference in GraphOperations.All(graph))
        {
            if (resolver.Resolve(reference) is { } captured
                && !(captured is ILocalSymbol local && SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, owner))
                && !(captured is IParameterSymbol parameter && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, owner)))
            {
                handles.Add(captured);
            }
        }

        return handles.ToImmutable();
    }

    // Changes a handle's facts, starting from its entry facts when the body has not touched it yet.
    private FlowState Change(FlowState state, ISymbol handle, System.Func<HandleFacts, HandleFacts> change)
        => state.TryGet(handle, out _) ? state.Map(handle, change) : state.With(handle, change(FactsOf(state, handle)));

    /// <summary>
    /// Ownership of the handle may have moved (stored, returned, passed on): no leak here, and the caller's handle is
    /// handed on. <paramref name="shared"/>: it now lives in another object too, which may change it later.
    /// </summary>
    private FlowState Escape(FlowState state, ISymbol handle, bool shared = false)
    {
        RecordHandedOn(state, handle, released: true);
        return Change(state, handle, f => f.AsEscaped(shared));
    }

    /// <summary>Code the analysis cannot see may have changed the handle: stop checking it.</summary>
    private FlowState MakeUnknown(FlowState state, ISymbol handle)
    {
        RecordHandedOn(state, handle, released: true);
        return Change(state, handle, f => f.AsUnknown().AsEscaped());
    }

    // What the summary needs to know: the caller's handle (or this object's field) was handed on.
    private void RecordHandedOn(FlowState state, ISymbol handle, bool released)
    {
        if (Record is not { } record)
        {
            return;
        }

        if (FactsOf(state, handle).Rows is { } rows)
        {
            record.HandedOn(rows.Slot);
        }

        if (released)
        {
            RecordFieldReleased(state, handle);
        }
    }

    private void RememberFieldCopy(ISymbol source, ISymbol field)
    {
        if (!_fieldCopies.TryGetValue(source, out var fields))
        {
            _fieldCopies[source] = fields = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        }

        fields.Add(field);
    }

    private void RecordFieldAcquired(ISymbol target, HandleFacts facts)
    {
        if (Record is { } record && target is IFieldSymbol or IPropertySymbol && facts.AcquiredBy is not null)
        {
            record.FieldAcquired(target);
        }
    }

    // The handle was released or handed on: so was every field of this that names it, and the caller's slot it came from.
    private void RecordFieldReleased(FlowState state, ISymbol handle)
    {
        if (Record is not { } record)
        {
            return;
        }

        var canonical = state.Canonical(handle);
        if (canonical is IFieldSymbol or IPropertySymbol)
        {
            record.FieldReleased(canonical);
        }

        record.ReleasedWithCopies(canonical);
        foreach (var alias in state.Aliases)
        {
            if (alias.Key is IFieldSymbol or IPropertySymbol && SymbolEqualityComparer.Default.Equals(alias.Value, canonical))
            {
                record.FieldReleased(alias.Key);
            }
        }

        if (FactsOf(state, handle).Rows is { } rows)
        {
            record.ReleasedSlot(rows.Slot);
            if (rows.Slot is IFieldSymbol or IPropertySymbol)
            {
                record.FieldReleased(rows.Slot);
            }
        }
    }

    /// <summary>The fields a released handle was copied into anywhere in the body are released with it.</summary>
    public void ReleaseFieldCopies(ISymbol canonical)
    {
        if (_fieldCopies.TryGetValue(canonical, out var copies))
        {
            FieldsReleased.UnionWith(copies);
        }
    }

    /// <summary>A use of the handle that needs it not to be released (a member access, a call without a contract).</summary>
    private FlowState CheckNotReleased(FlowState state, ISymbol handle, IOperation at)
    {
        var facts = FactsOf(state, handle);
        if (facts.Unknown || !facts.States.Contains(StateSet.Released))
        {
            return state;
        }

        var (checkedState, _, _) = Require(state, handle, facts, facts.Type.AnyEntry.Without(StateSet.Released), facts.Type.UseAfterReleaseRule, at, callName: null, transitionTo: -1);
        return checkedState;
    }

    /// <summary>
    /// What a returned value says about the method's outcome: a constant (true: success), or the result whose open
    /// effects it carries (a call, a result variable).
    /// </summary>
    public (bool? Constant, object? Key, bool Negated) OutcomeOf(IOperation returned, FlowState state)
    {
        var value = HandleResolver.Strip(returned)!;
        if (value.ConstantValue is { HasValue: true, Value: bool constant })
        {
            return (constant, null, false);
        }

        // return !ok; return rc == Errno.None; return rc.IsSuccess(): the outcome of what it tests.
        if (TestedOutcome(value, state) is { } tested)
        {
            return tested;
        }

        if (ResultKey(value, state) is { } key && state.Flags.TryGetValue(key, out var flag))
        {
            return flag.Constant is { } known ? (known, null, false) : (null, key, false);
        }

        if (IsZero(value) is { } zero && IsResultType(value.Type))
        {
            return (zero, null, false);
        }

        return (null, null, false);
    }

    // A test of a result or flag, as the outcome it stands for: a constant, or the flag (negated when the test inverts it).
    private (bool? Constant, object? Key, bool Negated)? TestedOutcome(IOperation value, FlowState state)
    {
        object? key = null;
        var negated = false;
        switch (value)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not when ResultKey(not.Operand, state) is { } inner:
                (key, negated) = (inner, true);
                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } test:
                foreach (var (tested, other) in new[] { (test.LeftOperand, test.RightOperand), (test.RightOperand, test.LeftOperand) })
                {
                    if (ResultKey(tested, state) is { } found && IsZero(other) == true && HandleResolver.Strip(tested)?.Type?.SpecialType != SpecialType.System_Boolean)
                    {
                        (key, negated) = (found, test.OperatorKind == BinaryOperatorKind.NotEquals);
                        break;
                    }
                }

                break;
            case IInvocationOperation { TargetMethod.Name: "IsError" or "IsSuccess", Arguments.Length: 1 } call when ResultKey(call.Arguments[0].Value, state) is { } found:
                (key, negated) = (found, call.TargetMethod.Name == "IsError");
                break;
        }

        if (key is null || !state.Flags.TryGetValue(key, out var flag))
        {
            return null;
        }

        if (flag.Constant is { } known)
        {
            return (known != negated, null, false);
        }

        return (null, key, negated);
    }

    // A bool or Errno variable (local, parameter, field or auto-property of this) whose value may say something about the handles.
    private ISymbol? ResultVariable(IOperation? operation)
    {
        var symbol = operation switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field when HandleResolver.IsThis(field.Instance) => field.Field,
            IPropertyReferenceOperation property when property.Arguments.IsEmpty && HandleResolver.IsThis(property.Instance) => property.Property,
            _ => (ISymbol?)null,
        };
        return symbol is not null && IsResultOrFlag(HandleResolver.TypeOf(symbol)) ? symbol : null;
    }

    /// <summary>A nullable field of this whose presence the type uses as a flag (see <see cref="FieldFlags"/>).</summary>
    private ISymbol? PresenceVariable(IOperation? operation)
    {
        var symbol = operation switch
        {
            IFieldReferenceOperation field when HandleResolver.IsThis(field.Instance) => field.Field,
            IPropertyReferenceOperation property when property.Arguments.IsEmpty && HandleResolver.IsThis(property.Instance) => (ISymbol)property.Property,
            _ => null,
        };
        return symbol is not null && HandleResolver.TypeOf(symbol)?.SpecialType != SpecialType.System_Boolean && _scope.FieldFlags?.Flags.ContainsKey(symbol) == true
            ? symbol
            : null;
    }

    /// <summary>A bool, or an Errno: what a flag or a call's result is held in.</summary>
    public bool IsResultOrFlag(ITypeSymbol? type)
        => type is not null && (type.SpecialType == SpecialType.System_Boolean || SymbolEqualityComparer.Default.Equals(type, Symbols.Errno));

    // Where to point: the whole expression the user wrote, including a null-forgiving "!".
    private static Location LocationOf(IOperation operation)
    {
        var syntax = operation.Syntax;
        while (syntax.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.PostfixUnaryExpressionSyntax suppression
               && suppression.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.SuppressNullableWarningExpression))
        {
            syntax = suppression;
        }

        return syntax.GetLocation();
    }

    private static string LineOf(IOperation operation) => "line " + (operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    // The operation a reference feeds, skipping conversions.
    private static IOperation? Context(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent;
    }
}
