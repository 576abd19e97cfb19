using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

// Calls: a declared contract (annotations) for a parameter wins; otherwise a callee with a body in this compilation is
// applied through its summary; otherwise the callee is outside the analysis. Effects that hold only when an Errno (or a
// helper's bool) says success wait for the branch that tests the result.
internal sealed partial class TypestateWalker
{
    private static readonly SmallMap<ISymbol, HandleFacts> NoFacts = SmallMap<ISymbol, HandleFacts>.Create(SymbolEqualityComparer.Default);

    private const int RangesInvalidated = 1;
    private const int RangesRefreshed = 2;
    private const int RangesRequired = 3;

    private FlowState VisitInvocation(IInvocationOperation invocation, FlowState state, object resultKey)
    {
        if (invocation.Instance is { } instance && Resolver.Resolve(instance) is null)
        {
            state = Visit(instance, state);
        }

        foreach (var argument in invocation.Arguments)
        {
            if (Resolver.Resolve(argument.Value) is null)
            {
                state = Visit(argument.Value, state);
            }
        }

        var method = Implementation(invocation);
        if (IsKeyedQuery(method))
        {
            // Asking a key's state is how mistakes are avoided; a released handle answers it too.
            return state;
        }

        var contract = Symbols.ContractOf(method);
        var thisLike = IsThisLike(invocation);
        var summary = SummaryFor(method, invocation.Arguments, thisLike, invocation.Instance, state);
        var returnsErrno = Symbols.Errno is not null && SymbolEqualityComparer.Default.Equals(method.ReturnType, Symbols.Errno);
        var call = new Call(invocation, method, contract, summary, returnsErrno && contract is not null || summary?.HasOutcome == true, thisLike);

        if (summary?.Thrown is { } thrown)
        {
            Throwing.Add((ThrownState(state, thrown, call), invocation));
        }

        if (invocation.Instance is { } receiverOperation && Resolver.Resolve(receiverOperation) is { } receiver)
        {
            state = contract?.Receiver is { } receiverContract
                ? ApplyHandleContract(state, receiver, receiverContract, receiverOperation, call)
                : CheckNotReleased(state, receiver, receiverOperation);
        }

        foreach (var argument in invocation.Arguments)
        {
            state = VisitArgument(state, argument, call);
        }

        state = ApplyImplicitSlots(state, call);
        state = ForgetFieldKeys(state, invocation, contract);
        state = ForgetShared(state, call, invocation.Instance);
        state = Settle(state, resultKey, call);
        state = RecordReturned(state, call);
        if (summary is not null)
        {
            state = ApplyRanges(state, summary.Ranges);
        }

        return contract is null ? state : ApplyIovaRanges(state, contract, invocation);
    }

    private FlowState VisitCreation(IObjectCreationOperation creation, FlowState state)
    {
        foreach (var argument in creation.Arguments)
        {
            if (Resolver.Resolve(argument.Value) is null)
            {
                state = Visit(argument.Value, state);
            }
        }

        if (creation.Constructor is not { } constructor)
        {
            return state;
        }

        var contract = Symbols.ContractOf(constructor);
        var summary = SummaryFor(constructor, creation.Arguments, thisLike: false, instance: null, state);
        var call = new Call(creation, constructor, contract, summary, summary?.HasOutcome == true, thisLike: false);
        foreach (var argument in creation.Arguments)
        {
            state = VisitArgument(state, argument, call);
        }

        return Settle(state, creation, call);
    }

    private FlowState VisitArgument(FlowState state, IArgumentOperation argument, Call call)
    {
        var parameter = argument.Parameter;
        var declared = parameter is not null ? call.Contract?.ParameterContract(parameter) : null;
        var inferred = parameter is not null && call.Summary is { IsUnknown: false } summary && summary.Slots.TryGetValue(parameter.OriginalDefinition, out var slot) ? slot : null;
        if (Resolver.Resolve(argument.Value) is not { } handle)
        {
            if (HandleResolver.Strip(argument.Value) is IDiscardOperation && (declared?.Acquires >= 0 || inferred?.Success is { AcquiredBy: not null }))
            {
                // "out _" of a handle the call acquires: nobody can ever release it.
                ReportDiscarded(call.Operation, "out _", declared?.Type ?? inferred!.Type, parameter?.Type);
            }

            return state;
        }

        if (declared is not null)
        {
            return ApplyHandleContract(state, handle, declared, argument, call);
        }

        if (call.Summary is { IsUnknown: true })
        {
            return MakeUnknown(state, handle);
        }

        if (inferred is not null)
        {
            return parameter!.RefKind == RefKind.Out
                ? ApplyOutput(state, handle, inferred, call)
                : ApplySlot(state, handle, parameter.OriginalDefinition, inferred, argument, call);
        }

        if (parameter?.RefKind == RefKind.Out)
        {
            // Written by code the analysis does not see (TryGetValue and the like): nothing is known about it.
            return state.Assign(handle, HandleFacts.UnknownOf(Resolver.HandleTypeOf(handle)!).AsEscaped());
        }

        return OutsideCall(state, handle, argument, call);
    }

    // A call into code the analysis does not follow. An annotated API keeps nothing it is not declared to take; other
    // code may keep the handle (ownership handed on), and code that can reach the handle's own API may change it.
    private FlowState OutsideCall(FlowState state, ISymbol handle, IArgumentOperation argument, Call call)
    {
        state = CheckNotReleased(state, handle, argument);
        if (call.Contract is not null || Symbols.IsAnnotatedApi(call.Method.ContainingType))
        {
            return state;
        }

        var parameterType = call.Method.MethodKind == MethodKind.DelegateInvoke ? argument.Parameter?.Type : argument.Parameter?.OriginalDefinition.Type;
        return parameterType is not null && (Symbols.HandleTypeOf(parameterType) is not null || parameterType.TypeKind == TypeKind.Interface)
            ? MakeUnknown(state, handle)
            : Escape(state, handle, shared: true);
    }

    private FlowState ApplyHandleContract(FlowState state, ISymbol handle, HandleContract contract, IOperation at, Call call)
    {
        var facts = FactsOf(state, handle);
        var type = facts.Type;
        var name = call.Method.Name;
        var ownedElsewhere = state.Canonical(handle) is not ILocalSymbol;

        if (contract.Acquires >= 0)
        {
            var acquired = new HandleFacts(type, StateSet.Of(contract.Acquires), escaped: ownedElsewhere, acquiredBy: call.Operation,
                keys: KeyedStates.Fresh(contract.Acquires));
            if (Record is { } record && ownedElsewhere && state.Canonical(handle) is IFieldSymbol or IPropertySymbol)
            {
                record.FieldAcquired(state.Canonical(handle));
            }

            if (!call.HasOutcome)
            {
                return state.Assign(handle, acquired);
            }

            state = state.Assign(handle, acquired);
            call.Conditional.Add((handle, acquired, new HandleFacts(type, StateSet.Of(StateSet.Absent), escaped: ownedElsewhere)));
            return state;
        }

        // Disposing twice is allowed (IDisposable says so); any other use of a released handle is not.
        if (contract.Requirements.Count == 0 && !(contract.Releases && IsDispose(call.Method)))
        {
            state = CheckNotReleased(state, handle, at);
            facts = FactsOf(state, handle);
        }

        // A key argument naming the handle itself (PASID 0: the RID) makes the call the handle's own transition.
        var (keyAt, key, self) = contract.Key is { } keyParameter ? KeyOf(call.Arguments, keyParameter) : (null, null, false);
        var keyed = contract.Key is not null && !self;
        var transitionTo = self ? contract.KeyTransitionTo : contract.TransitionTo;
        var transitionAlways = self ? contract.KeyTransitionAlways : contract.TransitionAlways;
        foreach (var (allowed, rule) in self ? contract.Requirements.Concat(contract.KeyRequirements) : contract.Requirements)
        {
            (state, facts, var reported) = Require(state, handle, facts, allowed, rule, at, name, transitionTo);
            if (reported)
            {
                // One report per mistake: the call's effects are not applied, the handle is not checked on from here.
                return state;
            }
        }

        if (keyed)
        {
            (state, facts, var reported) = RequireKey(state, handle, facts, contract, key, keyAt ?? at);
            if (reported)
            {
                return state;
            }
        }

        if (contract.EveryKeyRequirements.Count > 0)
        {
            RequireEveryKey(handle, facts, contract, call.Operation);
        }

        // The call throws on a null handle: on every path that goes on, it was not null.
        if (!facts.Unknown && facts.States.Contains(StateSet.Absent))
        {
            var present = facts.Narrowed(type.AnyEntry.Without(StateSet.Absent));
            if (present.States.IsEmpty)
            {
                return FlowState.Dead;
            }

            facts = present.WithUncheckedCall(null);
            state = state.With(handle, facts);
        }

        if (contract.Releases)
        {
            RecordFieldReleased(state, handle);
            return state.With(handle, facts.Released(name + " at " + LineOf(call.Operation)));
        }

        if (contract.TakesOwnership)
        {
            state = Escape(state, handle);
            facts = facts.AsEscaped();
        }

        if (transitionTo >= 0)
        {
            var moved = facts.WithStates(StateSet.Of(transitionTo)).Checked();
            if (transitionAlways || !call.HasOutcome)
            {
                return state.With(handle, moved);
            }

            // On failure the handle stays as it was, but from here on that is this method's doing.
            call.Conditional.Add((handle, moved, facts.Checked().Touched()));
        }
        else if (keyed && contract.KeyTransitionTo >= 0 && !facts.Unknown)
        {
            var moved = MoveKey(facts, key, contract.KeyTransitionTo, contract.Key!.Name).Checked();
            if (contract.KeyTransitionAlways || !call.HasOutcome)
            {
                return state.With(handle, moved);
            }

            call.Conditional.Add((handle, moved, facts.Checked().Touched()));
        }

        return state;
    }

    // An input of a summarized callee: its requirements, then what it leaves the handle in.
    private FlowState ApplySlot(FlowState state, ISymbol handle, ISymbol slotSymbol, SlotSummary slot, IOperation at, Call call)
    {
        var facts = FactsOf(state, handle);
        foreach (var (allowed, rule) in slot.Requirements())
        {
            (state, facts, var reported) = Require(state, handle, facts, allowed, rule, at, call.Method.Name, -1);
            if (reported)
            {
                break;
            }
        }

        if (slot.HandsOn || slot.MakesUnknown)
        {
            RecordHandedOn(state, handle, released: true);
        }
        else if (slot.Releases)
        {
            RecordFieldReleased(state, handle);
        }

        if (facts.Unknown)
        {
            return slot.HandsOn ? state.With(handle, facts.AsEscaped()) : state;
        }

        var success = Compose(facts, slot.Success, slot.Type, call, state, handle, slotSymbol);
        var failure = Compose(facts, slot.Failure, slot.Type, call, state, handle, slotSymbol);
        if (slot.HandsOn)
        {
            success = success.AsEscaped(shared: true);
            failure = failure.AsEscaped(shared: true);
        }

        if (success.States.Contains(StateSet.Released) && !facts.States.Contains(StateSet.Released))
        {
            RecordFieldReleased(state, handle);
        }

        if (call.HasOutcome && !success.Equals(failure))
        {
            call.Conditional.Add((handle, success, failure));
            return state;
        }

        return state.With(handle, success.Join(failure));
    }

    // An out parameter (or the return value) of a summarized callee: a handle it made, or one of its inputs.
    private FlowState ApplyOutput(FlowState state, ISymbol handle, SlotSummary slot, Call call)
    {
        var ownedElsewhere = handle is not ILocalSymbol;
        var success = Instantiate(slot.Success, slot.Type, call, state, ownedElsewhere);
        var failure = Instantiate(slot.Failure, slot.Type, call, state, ownedElsewhere);
        if (Record is { } record && ownedElsewhere && handle is IFieldSymbol or IPropertySymbol && (success.AcquiredBy is not null || failure.AcquiredBy is not null))
        {
            record.FieldAcquired(handle);
        }

        state = state.Assign(handle, success.Join(failure));
        if (call.HasOutcome && !success.Equals(failure))
        {
            call.Conditional.Add((handle, success, failure));
        }

        return state;
    }

    // A method of another object that changes its own handle fields (a wrapper's Dispose that detaches) may be changing
    // a handle this body handed to it: those are not followed any more.
    private FlowState ForgetShared(FlowState state, Call call, IOperation? instance)
    {
        if (call.ThisLike || call.Summary is not { IsUnknown: false } summary || instance is null || Resolver.Resolve(instance) is not null
            || !summary.Slots.Keys.Any(k => k is IFieldSymbol { IsStatic: false } or IPropertySymbol { IsStatic: false }))
        {
            return state;
        }

        foreach (var pair in state.Handles)
        {
            if (pair.Value.Shared && !pair.Value.Unknown)
            {
                state = state.With(pair.Key, pair.Value.AsUnknown());
            }
        }

        return state;
    }

    // Fields of this (a call on this) and variables a local function captures.
    private FlowState ApplyImplicitSlots(FlowState state, Call call)
    {
        if (call.Summary is not { } summary)
        {
            return state;
        }

        if (summary.IsUnknown)
        {
            // Recursion: whatever the callee can reach may have changed.
            foreach (var pair in state.Handles)
            {
                if (Reaches(call, pair.Key))
                {
                    state = MakeUnknown(state, pair.Key);
                }
            }

            return state;
        }

        foreach (var pair in summary.Slots)
        {
            if (pair.Key is IParameterSymbol parameter && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, call.Method.OriginalDefinition))
            {
                continue;
            }

            if (Reaches(call, pair.Key))
            {
                state = ApplySlot(state, pair.Key, pair.Key, pair.Value, call.Operation, call);
            }
        }

        if (call.ThisLike)
        {
            // The flags of this the callee sets (a detach helper clears _attached).
            foreach (var pair in summary.FlagFields)
            {
                state = state.WithFlag(pair.Key, pair.Value);
            }
        }

        return state;
    }

    // Whether a callee can see this variable of the caller: fields of this on a call on this, captured variables in a local function.
    private static bool Reaches(Call call, ISymbol symbol) => symbol switch
    {
        IFieldSymbol { IsStatic: false } or IPropertySymbol { IsStatic: false } => call.ThisLike,
        ILocalSymbol or IParameterSymbol => call.Method.MethodKind == MethodKind.LocalFunction,
        _ => false,
    };

    // The effects waiting for the result: the handles hold either outcome until a branch tests it. A result that
    // restates an argument's (a logging wrapper, bool Failed(rc)) carries what that argument's result said.
    private FlowState Settle(FlowState state, object resultKey, Call call)
    {
        var restated = Restated(state, call);
        if (restated is (bool constant, _))
        {
            state = state.WithFlag(resultKey, constant);
        }

        if (call.Conditional.Count == 0 && restated is not (null, { }))
        {
            // A result that changes nothing here can still be tested, or merged with one that does (x ? Replace : Attach).
            return call.HasOutcome && restated.Constant is null ? state.WithOutcome(resultKey, NoFacts, NoFacts) : state;
        }

        var success = SmallMap<ISymbol, HandleFacts>.CreateBuilder(SymbolEqualityComparer.Default);
        var failure = SmallMap<ISymbol, HandleFacts>.CreateBuilder(SymbolEqualityComparer.Default);
        if (restated is (null, { } sides))
        {
            success.AddRange(sides.Success);
            failure.AddRange(sides.Failure);
        }

        foreach (var (handle, whenSuccess, whenFailure) in call.Conditional)
        {
            var failed = whenFailure.States.Contains(StateSet.Absent) && !whenSuccess.States.Contains(StateSet.Absent)
                ? whenFailure.WithUncheckedCall(call.Operation, failurePath: true)
                : whenFailure;
            var either = whenSuccess.Join(failed).WithUncheckedCall(failed.UncheckedCall, failurePath: false);
            state = state.With(handle, either);
            success[state.Canonical(handle)] = whenSuccess;
            failure[state.Canonical(handle)] = failed;
        }

        return state.WithOutcome(resultKey, success.ToImmutable(), failure.ToImmutable());
    }

    // The state on the path where the callee throws: its inputs as it leaves them there, everything else as before the call.
    private FlowState ThrownState(FlowState state, SmallMap<ISymbol, HandleFacts> thrown, Call call)
    {
        foreach (var pair in thrown)
        {
            ISymbol? handle = null;
            if (pair.Key is IParameterSymbol parameter && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, call.Method.OriginalDefinition))
            {
                var argument = call.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.OriginalDefinition, parameter));
                handle = argument is null ? null : Resolver.Resolve(argument.Value);
            }
            else if (Reaches(call, pair.Key))
            {
                handle = pair.Key;
            }

            if (handle is not null && !FactsOf(state, handle).Unknown)
            {
                state = state.With(handle, Compose(FactsOf(state, handle), pair.Value, pair.Value.Type, call, state, handle, pair.Key));
            }
        }

        return state;
    }

    // The outcome an argument's result gives the call's own, through the callee's ParameterOutcomes.
    private (bool? Constant, (SmallMap<ISymbol, HandleFacts> Success, SmallMap<ISymbol, HandleFacts> Failure)? Sides) Restated(FlowState state, Call call)
    {
        if (call.Summary is not { IsUnknown: false, ParameterOutcomes.IsEmpty: false } summary)
        {
            return (null, null);
        }

        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is not { } parameter || !summary.ParameterOutcomes.TryGetValue(parameter.Ordinal, out var outcome)
                || ResultKey(argument.Value, state) is not { } key || !state.Flags.TryGetValue(key, out var flag))
            {
                continue;
            }

            if (flag.Constant is { } known)
            {
                return (known == outcome.AtSuccess, null);
            }

            if (flag.Side(outcome.AtSuccess) is { } onSuccess && flag.Side(outcome.AtFailure) is { } onFailure)
            {
                return (null, (onSuccess, onFailure));
            }
        }

        return (null, null);
    }

    // The handle a summarized callee returns, for the assignment or return that takes it; one dropped on the floor leaks.
    private FlowState RecordReturned(FlowState state, Call call)
    {
        if (call.Summary is not { IsUnknown: false, Returned: { } returned })
        {
            _returnedByCall.Remove(call.Operation);
            if (call.Contract is { ReturnAcquires: >= 0 } && IsDropped(call.Operation) && Symbols.HandleTypeOf(call.Method.ReturnType) is { } type)
            {
                ReportDiscarded(call.Operation, "the result of '" + call.Method.Name + "'", type, call.Method.ReturnType);
            }

            return state;
        }

        var facts = Instantiate(returned.Success, returned.Type, call, state, ownedElsewhere: false);
        _returnedByCall[call.Operation] = facts;
        if (facts.AcquiredBy is not null && IsDropped(call.Operation))
        {
            ReportDiscarded(call.Operation, "the result of '" + call.Method.Name + "'", returned.Type, call.Method.ReturnType);
        }

        return state;
    }

    private static bool IsDropped(IOperation call)
    {
        var parent = call.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is IExpressionStatementOperation || (parent is ISimpleAssignmentOperation { Target: IDiscardOperation });
    }

    private void ReportDiscarded(IOperation call, string what, HandleType type, ITypeSymbol? declared)
    {
        Reports?.Report(ContractDiagnostics.Leak, call.Syntax.GetLocation(), new[] { call.Syntax.GetLocation() }, what,
            "it is discarded at " + LineOf(call) + ", so nothing can release it", LeakReport.ReleaseHint(call, type, Symbols, declared));
    }

    // The caller's facts after the callee: each state the handle may be in goes where the callee's row for it leads.
    private HandleFacts Compose(HandleFacts facts, HandleFacts? exit, HandleType type, Call call, FlowState state, ISymbol handle, ISymbol slotSymbol)
    {
        if (exit is not { } leaves)
        {
            return facts;
        }

        if (leaves.Unknown)
        {
            return facts.AsUnknown().AsEscaped();
        }

        if (leaves.Rows is not { } rows)
        {
            // The callee put a handle of its own making there (a field it filled, a ref it assigned).
            return Instantiate(leaves, type, call, state, ownedElsewhere: handle is not ILocalSymbol);
        }

        var source = SymbolEqualityComparer.Default.Equals(rows.Slot, slotSymbol) ? facts : Binding(state, call, rows.Slot);
        return source is { Unknown: false } known
            ? Through(known, rows, call).WithKeys(leaves.Keys.Through(known.Keys, k => CallerKey(call, k)))
            : HandleFacts.UnknownOf(type).AsEscaped();
    }

    // A handle the callee made, or one of its inputs transformed, in the caller's terms.
    private HandleFacts Instantiate(HandleFacts? exit, HandleType type, Call call, FlowState state, bool ownedElsewhere)
    {
        if (exit is not { } leaves || leaves.Unknown)
        {
            return HandleFacts.UnknownOf(type).AsEscaped();
        }

        if (leaves.Rows is { } rows)
        {
            // One of the callee's inputs (a getter returning a field, a helper returning its parameter): a second
            // name for the caller's handle, not a new one to release.
            return Binding(state, call, rows.Slot) is { Unknown: false } source
                ? Through(source, rows, call).WithKeys(leaves.Keys.Through(source.Keys, k => CallerKey(call, k))).AsEscaped().WithAcquiredBy(null)
                : HandleFacts.UnknownOf(type).AsEscaped();
        }

        var acquired = leaves.AcquiredBy is not null;
        return new HandleFacts(type, leaves.States.Without(StateSet.AtEntry), unknown: false,
            escaped: ownedElsewhere || !acquired || leaves.Escaped && !acquired,
            acquiredBy: acquired && !ownedElsewhere ? call.Operation : null,
            releasedBy: leaves.ReleasedBy,
            uncheckedCall: leaves.UncheckedCall is not null ? call.Operation : null,
            failurePath: leaves.FailurePath,
            keys: leaves.Keys.Through(null, k => CallerKey(call, k)));
    }

    // Maps the caller's states through the callee's rows (AtEntry in a row: the callee left it as it came).
    private static HandleFacts Through(HandleFacts facts, EntryRows rows, Call call)
    {
        var type = facts.Type;
        HandleFacts result;
        if (facts.Rows is { } mine)
        {
            var current = new StateSet[mine.Count];
            var any = false;
            for (var row = 0; row < mine.Count; row++)
            {
                var mapped = StateSet.Empty;
                foreach (var state in mine.Current(row).Members())
                {
                    mapped = mapped.Union(state == StateSet.AtEntry ? rows.Current(row) : RowFor(rows, type, state));
                }

                current[row] = mapped;
                any |= !mapped.IsEmpty;
            }

            if (!any)
            {
                return facts;
            }

            result = facts.WithRows(mine.WithCurrent(current));
        }
        else
        {
            var mapped = StateSet.Empty;
            foreach (var state in facts.States.Members())
            {
                mapped = mapped.Union(RowFor(rows, type, state));
            }

            if (mapped.IsEmpty)
            {
                return facts;
            }

            result = new HandleFacts(type, mapped, unknown: false, facts.Escaped, facts.AcquiredBy, facts.ReleasedBy,
                mapped.Contains(StateSet.Absent) ? facts.UncheckedCall : null, rows: null, facts.FailurePath);
        }

        return result.States.Contains(StateSet.Released) && !facts.States.Contains(StateSet.Released)
            ? result.WithReleasedBy(call.Method.Name + " at " + LineOf(call.Operation))
            : result;
    }

    private static StateSet RowFor(EntryRows rows, HandleType type, int state)
    {
        var row = type.RowOf(state);
        return row < 0 || row >= rows.Count ? StateSet.Of(state) : rows.Current(row).Resolve(state);
    }

    // The caller's facts for one of the callee's inputs: the argument for a parameter, the field, the captured variable.
    private HandleFacts? Binding(FlowState state, Call call, ISymbol slot)
    {
        if (slot is IParameterSymbol parameter && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, call.Method.OriginalDefinition))
        {
            var argument = call.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.OriginalDefinition, parameter));
            return argument is not null && Resolver.Resolve(argument.Value) is { } handle ? FactsOf(state, handle) : null;
        }

        return Reaches(call, slot) && Resolver.HandleTypeOf(slot) is not null ? FactsOf(state, slot) : null;
    }

    private MethodSummary? SummaryFor(IMethodSymbol method, ImmutableArray<IArgumentOperation> arguments, bool thisLike, IOperation? instance, FlowState state)
    {
        if (_scope.Summaries is not { } summaries || Symbols.IsAnnotatedApi(method.ContainingType))
        {
            return null;
        }

        if (method.MethodKind != MethodKind.LocalFunction)
        {
            var relevant = Symbols.HandleTypeOf(method.ReturnType) is not null
                           || (thisLike && !method.IsStatic && summaries.HasHandleFields(method.ContainingType))
                           || (!thisLike && !method.IsStatic && summaries.HasHandleFields(method.ContainingType) && AnyShared(state))
                           || PassesHandleOrResult(arguments, state);
            if (!relevant || method.IsAbstract)
            {
                return null;
            }

            // A virtual call runs whatever override the receiver has: only a receiver that cannot be overridden (this,
            // a sealed type, a struct) is followed into this body.
            var sealedReceiver = HandleResolver.Strip(instance)?.Type is { } receiverType && (receiverType.IsSealed || receiverType.IsValueType);
            if ((method.IsVirtual || method.IsOverride) && !method.IsSealed && !method.ContainingType.IsSealed && !thisLike && !sealedReceiver && method.MethodKind != MethodKind.Constructor)
            {
                return null;
            }
        }

        if (thisLike && method.MethodKind != MethodKind.LocalFunction)
        {
            _scope.Dependence?.Note();
        }

        if (thisLike && _scope.Members?.Of(method) is { } contextual)
        {
            return contextual;
        }

        return summaries.SummaryOf(method, _scope.LocalFunctions, _scope.Cancellation);
    }

    private static bool AnyShared(FlowState state)
    {
        foreach (var pair in state.Handles)
        {
            if (pair.Value.Shared)
            {
                return true;
            }
        }

        return false;
    }

    // Whether a call is given a handle, an out or ref slot for one, or a result it may say something about.
    private bool PassesHandleOrResult(ImmutableArray<IArgumentOperation> arguments, FlowState state)
    {
        foreach (var argument in arguments)
        {
            if (Resolver.Resolve(argument.Value) is not null
                || (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref && Symbols.HandleTypeOf(argument.Parameter.Type) is not null)
                || (IsResultOrFlag(argument.Parameter?.Type) && ResultKey(argument.Value, state) is not null))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDispose(IMethodSymbol method)
        => method.Name is "Dispose" or "DisposeAsync" && method.Parameters.IsEmpty && !method.IsStatic;

    private static bool IsThisLike(IInvocationOperation invocation)
        => invocation.TargetMethod.MethodKind == MethodKind.LocalFunction
           || HandleResolver.Strip(invocation.Instance) is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

    // An interface call on a handle (IDisposable.Dispose from a using) runs the handle type's implementation; so does
    // an interface call on a receiver whose class is known here.
    private static IMethodSymbol Implementation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.ContainingType?.TypeKind == TypeKind.Interface && HandleResolver.Strip(invocation.Instance)?.Type is INamedTypeSymbol concrete
            && concrete.TypeKind != TypeKind.Interface && concrete.FindImplementationForInterfaceMember(method) is IMethodSymbol implementation)
        {
            return implementation;
        }

        return method;
    }

    private static FlowState ApplyRanges(FlowState state, RangesState effect)
        => effect == RangesState.AsAtEntry ? state : state.WithRanges(effect);

    private FlowState ApplyIovaRanges(FlowState state, MethodContract contract, IInvocationOperation invocation)
    {
        switch (contract.IovaRangesEffect)
        {
            case RangesInvalidated:
                return state.WithRanges(RangesState.Stale);
            case RangesRefreshed:
                return state.WithRanges(RangesState.Fresh);
            case RangesRequired when state.RangesStale && MapsAtFixedIova(invocation):
                Reports?.Report(ContractDiagnostics.MapWithStaleRanges, invocation.Syntax.GetLocation(), invocation.TargetMethod.Name);
                return state.WithRanges(RangesState.Fresh);
            default:
                return state;
        }
    }

    // An automatic-IOVA map lets the kernel pick a valid IOVA; only a fixed IOVA depends on fresh ranges.
    // A "flags" argument whose enum has a FixedIova member decides; a non-constant one is given the benefit.
    private static bool MapsAtFixedIova(IInvocationOperation invocation)
    {
        var flags = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "flags");
        if (flags?.Parameter?.Type is not INamedTypeSymbol { TypeKind: TypeKind.Enum } flagsType)
        {
            return true;
        }

        var fixedIova = flagsType.GetMembers("FixedIova").OfType<IFieldSymbol>().FirstOrDefault()?.ConstantValue;
        var value = flags.Value.ConstantValue;
        if (fixedIova is null || !value.HasValue || value.Value is null)
        {
            return fixedIova is null;
        }

        return (System.Convert.ToUInt64(value.Value, System.Globalization.CultureInfo.InvariantCulture)
                & System.Convert.ToUInt64(fixedIova, System.Globalization.CultureInfo.InvariantCulture)) != 0;
    }

    /// <summary>One call being applied: what it is, what it declares or is known to do, and the effects waiting for its result.</summary>
    private sealed class Call
    {
        public Call(IOperation operation, IMethodSymbol method, MethodContract? contract, MethodSummary? summary, bool hasOutcome, bool thisLike)
        {
            Operation = operation;
            Method = method;
            Contract = contract;
            Summary = summary;
            HasOutcome = hasOutcome;
            ThisLike = thisLike;
            Arguments = operation switch
            {
                IInvocationOperation invocation => invocation.Arguments,
                IObjectCreationOperation creation => creation.Arguments,
                _ => ImmutableArray<IArgumentOperation>.Empty,
            };
        }

        public IOperation Operation { get; }

        public IMethodSymbol Method { get; }

        public MethodContract? Contract { get; }

        public MethodSummary? Summary { get; }

        public bool HasOutcome { get; }

        public bool ThisLike { get; }

        public ImmutableArray<IArgumentOperation> Arguments { get; }

        public List<(ISymbol Handle, HandleFacts Success, HandleFacts Failure)> Conditional { get; } = new();
    }
}
