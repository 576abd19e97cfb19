using System.Collections.Generic;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

// Keyed sub-states ([StateKey]: a device's PASIDs). A call with a key argument checks and moves the sub-state of the key
// it names: a constant, or a local, parameter or field (a variable stands for the value it holds until it is assigned
// again). The key value [StateKey(SelfValue)] names is the handle itself (PASID 0 is the RID): such a call is the
// handle's own transition. A key the method cannot name (an array element, a call's result) is never checked; what the
// call does to it weakens every key it may be.
internal sealed partial class TypestateWalker
{
    /// <summary>The name a key argument has here: a constant (as a long), a local, a parameter or a field of this; null otherwise.</summary>
    private static object? KeyName(IOperation? value)
    {
        if (value?.ConstantValue is { HasValue: true } constant && IntegerConstant.Of(constant.Value) is { } converted)
        {
            return converted;
        }

        var stripped = HandleResolver.Strip(value);
        if (stripped?.ConstantValue is { HasValue: true } inner && IntegerConstant.Of(inner.Value) is { } plain)
        {
            return plain;
        }

        return stripped switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation { Parameter.RefKind: RefKind.None or RefKind.In } parameter => parameter.Parameter,
            IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } } field => field.Field,
            IFieldReferenceOperation { Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } field => field.Field,
            _ => null,
        };
    }

    /// <summary>The key argument of a call: its name here (null: none), and whether it is the handle itself.</summary>
    private static (IOperation? At, object? Name, bool Self) KeyOf(IEnumerable<IArgumentOperation> arguments, KeyParameter key)
    {
        var argument = arguments.FirstOrDefault(a => a.Parameter?.Ordinal == key.Ordinal);
        var name = KeyName(argument?.Value);
        return (argument, name, name is long value && key.SelfValue == value);
    }

    private static string KeyedName(ISymbol handle, KeyParameter key, object? name)
        => handle.Name + " (" + key.Name + " " + (name is null ? "?" : KeyedStates.Describe(name)) + ")";

    /// <summary>The requirements a call places on the key it names; returns the state to go on with and whether a report was made.</summary>
    private (FlowState State, HandleFacts Facts, bool Reported) RequireKey(FlowState state, ISymbol handle, HandleFacts facts, HandleContract contract,
        object? key, IOperation at)
    {
        if (facts.Unknown || key is null || contract.Key is not { } parameter)
        {
            return (state, facts, false);
        }

        var states = facts.Keys.StateOf(key);
        foreach (var (allowed, rule) in contract.KeyRequirements)
        {
            if (KeyedStates.IsOpen(states) || states.IsEmpty)
            {
                return (state, facts, false);
            }

            var bad = states.Except(allowed);
            if (bad.IsEmpty)
            {
                Reports?.Clean(rule, LocationOf(at));
                continue;
            }

            var definite = !states.Overlaps(allowed) && !facts.Partial;
            var name = KeyedName(handle, parameter, key);
            var detail = facts.Type.Describe(bad);
            Reports?.Violation(rule, definite, LocationOf(at), _ => new object[] { name, detail });

            // One report per mistake: this key is not checked again on this path.
            facts = facts.WithKeys(facts.Keys.Narrowed(key, StateSet.Of(KeyedStates.Unknown)));
            return (state.With(handle, facts), facts, true);
        }

        return (state, facts, false);
    }

    /// <summary>
    /// A call that needs every sub-state in a set (unbind: no PASID still attached): each key the method names and the
    /// keys it named once. The handle's own state is checked by the call's plain requirement.
    /// </summary>
    private void RequireEveryKey(ISymbol handle, HandleFacts facts, HandleContract contract, IOperation call)
    {
        if (facts.Unknown || Reports is null)
        {
            return;
        }

        var keyName = facts.Keys.Label ?? contract.Key?.Name ?? "key";
        foreach (var (allowed, rule) in contract.EveryKeyRequirements)
        {
            var live = allowed.Intersect(facts.Type.Live);
            foreach (var pair in facts.Keys.Named.OrderBy(p => KeyedStates.Describe(p.Key), System.StringComparer.Ordinal))
            {
                if (KeyedStates.IsOpen(pair.Value) || pair.Value.IsEmpty || pair.Value.IsSubsetOf(live))
                {
                    continue;
                }

                var definite = !pair.Value.Overlaps(live) && !facts.Partial;
                var name = handle.Name + " (" + keyName + " " + KeyedStates.Describe(pair.Key) + ")";
                Reports.Violation(rule, definite, LocationOf(call), _ => new object[] { name, facts.Type.Describe(pair.Value.Except(live)) });
                return;
            }

            var residue = facts.Keys.Residue;
            if (!KeyedStates.IsOpen(residue) && !residue.IsEmpty && !residue.IsSubsetOf(live) && !MovesVariableKeysInto(live))
            {
                // A key the method named once (a loop's variable): on some path it was left there.
                var name = handle.Name + " (a " + keyName + " used earlier)";
                Reports.Violation(rule, definite: false, LocationOf(call), _ => new object[] { name, facts.Type.Describe(residue.Except(live)) });
                return;
            }
        }
    }

    // Whether the body anywhere moves a key it names by a variable (or not at all) into one of the states: then the keys a
    // loop left behind may be cleaned up on paths the analysis cannot tell apart (a rollback "while (--i >= 0)" that
    // runs once per earlier attach), and what it left behind is not reported.
    private bool MovesVariableKeysInto(StateSet states)
    {
        if (_variableKeyMoves.TryGetValue(states, out var known))
        {
            return known;
        }

        var found = false;
        foreach (var invocation in _graph.OriginalOperation.DescendantsAndSelf().OfType<IInvocationOperation>())
        {
            if (Symbols.ContractOf(invocation.TargetMethod) is not { } contract)
            {
                continue;
            }

            foreach (var handle in contract.Parameters.Where(p => p is not null).Append(contract.Receiver))
            {
                if (handle is { Key: { } key, KeyTransitionTo: >= 0 } && states.Contains(handle.KeyTransitionTo)
                    && KeyOf(invocation.Arguments, key).Name is not long)
                {
                    found = true;
                }
            }
        }

        _variableKeyMoves[states] = found;
        return found;
    }

    /// <summary>The sub-state of the key after the call (on success, or always); unnamed keys weaken every key.</summary>
    private static HandleFacts MoveKey(HandleFacts facts, object? key, int to, string label)
    {
        var moved = StateSet.Of(to);
        return facts.WithKeys(key is null ? facts.Keys.WithUnnamed(moved, label) : facts.Keys.With(key, moved, label));
    }

    /// <summary>A bool method with [StateQuery(Key = ...)] on a handle: (handle, key name, whether it is the handle itself, the state asked about).</summary>
    private (ISymbol Handle, object Key, bool Self, int State, string Label)? KeyedQuery(IInvocationOperation invocation)
    {
        if (invocation.Instance is not { } instance || Resolver.Resolve(instance) is not { } handle
            || ContractSymbols.Find(invocation.TargetMethod.OriginalDefinition, Symbols.StateQuery) is not { ConstructorArguments.Length: 1 } attribute
            || attribute.NamedArguments.FirstOrDefault(a => a.Key == "Key").Value.Value is not string keyParameter
            || MethodContract.ReadKey(invocation.TargetMethod.OriginalDefinition, keyParameter, Symbols) is not { } key
            || Resolver.HandleTypeOf(handle) is not { } type)
        {
            return null;
        }

        var state = type.IndexOf(attribute.ConstructorArguments[0].Value as string ?? string.Empty);
        var (_, name, self) = KeyOf(invocation.Arguments, key);
        return state < 0 || name is null ? null : (handle, name, self, state, key.Name);
    }

    /// <summary>A capture fed only by one keyed query (switch (idev.IsPasidAttached(pasid)), a switch expression on it).</summary>
    private (ISymbol Handle, object Key, bool Self, int State, string Label)? KeyedQueryThroughCapture(IFlowCaptureReferenceOperation capture)
    {
        (ISymbol Handle, object Key, bool Self, int State, string Label)? found = null;
        foreach (var value in Resolver.ValuesOf(capture))
        {
            var stripped = HandleResolver.Strip(value);
            if (stripped is IDefaultValueOperation || stripped?.ConstantValue is { HasValue: true, Value: null })
            {
                // idev?.IsPasidAttached(pasid): null when there is no idev, which says nothing about its PASIDs.
                continue;
            }

            if (stripped is not IInvocationOperation invocation || KeyedQuery(invocation) is not { } query
                || (found is { } previous && (previous.State != query.State || !SymbolEqualityComparer.Default.Equals(previous.Handle, query.Handle)
                                              || !Equals(previous.Key, query.Key))))
            {
                return null;
            }

            found = query;
        }

        return found;
    }

    private bool IsKeyedQuery(IMethodSymbol method)
        => ContractSymbols.Find(method.OriginalDefinition, Symbols.StateQuery) is { } attribute && attribute.NamedArguments.Any(a => a.Key == "Key");

    // What a keyed query answers: the key is in the state asked about on the true side, elsewhere on the false side.
    private FlowState QueryKey(FlowState state, ISymbol handle, object key, int queried, bool holds, string label)
    {
        var facts = FactsOf(state, handle);
        if (facts.Unknown)
        {
            return state;
        }

        var answer = holds ? StateSet.Of(queried) : facts.Type.Live.Without(queried);
        var before = facts.Keys.StateOf(key);
        var narrowed = KeyedStates.IsOpen(before) || !before.Overlaps(answer) ? answer : before.Intersect(answer);
        return state.Narrow(handle, facts.WithKeys(facts.Keys.Narrowed(key, narrowed, label)));
    }

    /// <summary>A variable assigned here (a loop variable moving on, p = next): a key it named is not named by it any more.</summary>
    private static FlowState ForgetReassignedKeys(FlowState state, IOperation operation)
    {
        ISymbol? written = operation switch
        {
            ISimpleAssignmentOperation assignment => Variable(assignment.Target),
            ICompoundAssignmentOperation compound => Variable(compound.Target),
            IIncrementOrDecrementOperation step => Variable(step.Target),
            _ => null,
        };
        if (written is not null)
        {
            return ForgetKey(state, written);
        }

        if (operation is IInvocationOperation invocation)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref && Variable(argument.Value) is { } passed)
                {
                    state = ForgetKey(state, passed);
                }
            }
        }
        else if (operation is IDeconstructionAssignmentOperation deconstruction)
        {
            foreach (var target in deconstruction.Target.DescendantsAndSelf())
            {
                if (Variable(target) is { } assigned)
                {
                    state = ForgetKey(state, assigned);
                }
            }
        }

        return state;
    }

    /// <summary>
    /// A call that may assign fields of this (a method of this, a local function, a delegate, code handed this): the
    /// keys fields of this named are not named by them any more. Readonly fields keep their value.
    /// </summary>
    private static FlowState ForgetFieldKeys(FlowState state, IInvocationOperation invocation, MethodContract? contract)
    {
        if (contract is not null)
        {
            return state;
        }

        var reachesThis = invocation.TargetMethod.MethodKind is MethodKind.LocalFunction or MethodKind.DelegateInvoke
                          || HandleResolver.Strip(invocation.Instance) is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }
                          || invocation.Arguments.Any(a => HandleResolver.Strip(a.Value) is IInstanceReferenceOperation);
        if (!reachesThis)
        {
            return state;
        }

        foreach (var pair in state.Handles)
        {
            foreach (var key in pair.Value.Keys.Named.Keys)
            {
                if (key is IFieldSymbol { IsStatic: false, IsReadOnly: false } field)
                {
                    state = ForgetKey(state, field);
                }
            }
        }

        return state;
    }

    private static ISymbol? Variable(IOperation? target) => HandleResolver.Strip(target) switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field => field.Field,
        _ => null,
    };

    private static FlowState ForgetKey(FlowState state, ISymbol variable)
    {
        foreach (var pair in state.Handles)
        {
            if (pair.Value.Keys.Names(variable))
            {
                state = state.Map(pair.Key, f => f.WithKeys(f.Keys.Forget(variable)));
            }
        }

        return state;
    }

    /// <summary>A callee's key in the caller's terms: a constant, the argument for one of its parameters, a field of this on a call on this.</summary>
    private static object? CallerKey(Call call, object calleeKey)
    {
        switch (calleeKey)
        {
            case long constant:
                return constant;
            case IParameterSymbol parameter when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, call.Method.OriginalDefinition):
                var argument = call.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.OriginalDefinition, parameter));
                return KeyName(argument?.Value);
            case IFieldSymbol { IsStatic: true } field:
                return field;
            case IFieldSymbol field when call.ThisLike:
                return field;
            default:
                return null;
        }
    }
}
