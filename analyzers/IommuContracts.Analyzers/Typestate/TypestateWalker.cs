using System.Collections.Generic;
using System.Collections.Immutable;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// The transfer function: evaluates one operation of a basic block in evaluation order, checks every call's
/// contract against the handles' possible states and applies the call's effects. Reports only when a sink
/// is given (the pass after the fixpoint).
/// </summary>
internal sealed partial class TypestateWalker
{
    private readonly MethodScope _scope;
    private readonly HandleResolver _resolver;
    private readonly ControlFlowGraph _graph;
    private readonly Dictionary<IFlowAnonymousFunctionOperation, ImmutableArray<ISymbol>> _captured = new();

    public TypestateWalker(MethodScope scope, HandleResolver resolver, ControlFlowGraph graph)
    {
        _scope = scope;
        _resolver = resolver;
        _graph = graph;
    }

    public DiagnosticSink? Sink { get; set; }

    private ContractSymbols Symbols => _scope.Symbols;

    public HandleFacts FactsOf(FlowState state, ISymbol handle)
        => state.TryGet(handle, out var facts) ? facts : _scope.EntryFacts(handle, _resolver.HandleTypeOf(handle)!);

    /// <summary>Evaluates <paramref name="operation"/>; <paramref name="resultKey"/> names where an Errno result goes.</summary>
    public FlowState Visit(IOperation? operation, FlowState state, object? resultKey = null)
    {
        switch (operation)
        {
            case null:
                return state;
            case IInvocationOperation invocation:
                return VisitInvocation(invocation, state, resultKey ?? invocation);
            case ISimpleAssignmentOperation assignment:
                return VisitAssignment(assignment, state);
            case IFlowCaptureOperation capture:
                state = Visit(capture.Value, state, resultKey);

                // A capture that may hold this handle or something else (c ? idev : null) carries it where the
                // analysis does not follow.
                return _resolver.Resolve(capture.Value) is { } captured && !_resolver.NamesCapture(capture.Id, captured)
                    ? Change(state, captured, f => f.AsEscaped())
                    : state;
            case IConversionOperation conversion:
                return Visit(conversion.Operand, state, resultKey);
            case IFlowAnonymousFunctionOperation lambda:
                return ForgetCaptured(lambda, state);
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
        if (_resolver.Resolve(reference) is not { } handle)
        {
            // The instance of a member access is itself a reference: evaluate it.
            return reference is IMemberReferenceOperation { Instance: { } instance } ? Visit(instance, state) : state;
        }

        var parent = Context(reference);
        switch (parent)
        {
            case IMemberReferenceOperation member when ReferenceEquals(HandleResolver.Strip(member.Instance), reference):
                CheckNotReleased(handle, FactsOf(state, handle), reference);
                return state;
            case IInterpolationOperation:
                CheckNotReleased(handle, FactsOf(state, handle), reference);
                return state;
            case IBinaryOperation or IIsNullOperation or IIsPatternOperation or ISimpleAssignmentOperation or IFlowCaptureOperation
                or INameOfOperation or IInvocationOperation or IArgumentOperation:
                // Comparisons and copies change nothing here; calls and arguments are handled by the call.
                return state;
            default:
                // Anything else (a return, an array, a constructor argument, a tuple) may keep the handle.
                return Change(state, handle, f => f.AsEscaped());
        }
    }

    private FlowState VisitAssignment(ISimpleAssignmentOperation assignment, FlowState state)
    {
        var target = _resolver.Resolve(assignment.Target);
        var value = HandleResolver.Strip(assignment.Value);
        var resultKey = assignment.Target is ILocalReferenceOperation local ? (object)local.Local : null;

        // A new result stored in a local replaces whatever that local named before.
        if (resultKey is not null)
        {
            state = state.WithoutPending(resultKey);
        }

        if (FlagSymbol(assignment.Target) is { } flag)
        {
            state = Visit(assignment.Value, state, resultKey);
            return state.WithFlag(flag, value?.ConstantValue is { HasValue: true, Value: bool constant } ? constant : null);
        }

        if (target is null)
        {
            if (assignment.Target is IMemberReferenceOperation { Instance: { } instance })
            {
                state = Visit(instance, state);
            }

            state = Visit(assignment.Value, state, resultKey);

            // A handle stored anywhere the analysis does not follow (another object, an array) escapes.
            return _resolver.Resolve(value) is { } stored ? Change(state, stored, f => f.AsEscaped()) : state;
        }

        state = Visit(assignment.Value, state, resultKey);
        var type = _resolver.HandleTypeOf(target)!;
        HandleFacts facts;
        if (_resolver.Resolve(value) is { } source)
        {
            facts = FactsOf(state, source);
            state = Change(state, source, f => f.AsEscaped());
        }
        else if (value is null || value.ConstantValue is { HasValue: true, Value: null } || value is IDefaultValueOperation)
        {
            facts = new HandleFacts(type, StateSet.Of(StateSet.Absent));
        }
        else if (value is IInvocationOperation call && Symbols.ContractOf(call.TargetMethod) is { ReturnAcquires: >= 0 } acquiring)
        {
            // [return: Acquires]: the caller now owns a live handle.
            facts = new HandleFacts(type, StateSet.Of(acquiring.ReturnAcquires), acquiredBy: target is ILocalSymbol ? call : null);
        }
        else if (value is IInvocationOperation or IObjectCreationOperation)
        {
            // A handle a method hands out starts in its type's first state.
            facts = new HandleFacts(type, type.States.Length > 0 ? StateSet.Of(0) : type.Live);
        }
        else
        {
            facts = HandleFacts.UnknownOf(type);
        }

        if (target is not ILocalSymbol)
        {
            // Stored in a field or an out/ref parameter: the object or the caller owns it now.
            facts = facts.AsEscaped();
        }

        return state.With(target, facts);
    }

    // A lambda may use or release any handle it captures, at any time: stop tracking those.
    private FlowState ForgetCaptured(IFlowAnonymousFunctionOperation lambda, FlowState state)
    {
        foreach (var captured in CapturedHandles(lambda))
        {
            state = Change(state, captured, f => f.AsUnknown().AsEscaped());
        }

        return state;
    }

    // The handles a lambda names that it did not declare, in the order it names them. They do not depend on
    // the state, so the lambda's graph is walked once rather than on every visit of the fixpoint.
    private ImmutableArray<ISymbol> CapturedHandles(IFlowAnonymousFunctionOperation lambda)
    {
        if (_captured.TryGetValue(lambda, out var known))
        {
            return known;
        }

        var handles = ImmutableArray.CreateBuilder<ISymbol>();
        foreach (var reference in GraphOperations.All(_graph.GetAnonymousFunctionControlFlowGraph(lambda)))
        {
            if (_resolver.Resolve(reference) is { } captured
                && !(captured is ILocalSymbol local && SymbolEqualityComparer.Default.Equals(local.ContainingSymbol, lambda.Symbol)))
            {
                handles.Add(captured);
            }
        }

        return _captured[lambda] = handles.ToImmutable();
    }

    // Changes a handle's facts, starting from its entry facts when the body has not touched it yet.
    private FlowState Change(FlowState state, ISymbol handle, System.Func<HandleFacts, HandleFacts> change)
        => state.TryGet(handle, out _) ? state.Map(handle, change) : state.With(handle, change(FactsOf(state, handle)));

    private void CheckNotReleased(ISymbol handle, HandleFacts facts, IOperation at)
    {
        if (Sink is null || facts.Unknown || !facts.States.Contains(StateSet.Released))
        {
            return;
        }

        var definite = facts.States.Without(StateSet.Absent) == StateSet.Of(StateSet.Released);
        var detail = facts.Type.UseAfterReleaseRule == ContractDiagnostics.UseAfterRelease.Id ? "released by " + (facts.ReleasedBy ?? "a release") : "destroyed";
        Sink.ReportRule(facts.Type.UseAfterReleaseRule, definite, LocationOf(at), handle.Name, detail);
    }

    // A bool local, or a bool field of this, that may say something about the handles.
    private static ISymbol? FlagSymbol(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation { Local.Type.SpecialType: SpecialType.System_Boolean } local => local.Local,
        IFieldReferenceOperation { Field.Type.SpecialType: SpecialType.System_Boolean, Instance: null or IInstanceReferenceOperation } field => field.Field,
        _ => null,
    };

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
