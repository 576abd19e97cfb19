using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

// Calls: check the contract of the receiver and of each handle argument, then apply the effects; effects
// that hold only when an Errno-returning call succeeds wait for the branch that tests its result.
internal sealed partial class TypestateWalker
{
    private const int RangesInvalidated = 1;
    private const int RangesRefreshed = 2;
    private const int RangesRequired = 3;

    private FlowState VisitInvocation(IInvocationOperation invocation, FlowState state, object resultKey)
    {
        if (invocation.Instance is { } instance && _resolver.Resolve(instance) is null)
        {
            state = Visit(instance, state);
        }

        foreach (var argument in invocation.Arguments)
        {
            if (_resolver.Resolve(argument.Value) is null)
            {
                state = Visit(argument.Value, state);
            }
        }

        var method = Implementation(invocation);
        var contract = Symbols.ContractOf(method);
        var returnsErrno = Symbols.Errno is not null && SymbolEqualityComparer.Default.Equals(method.ReturnType, Symbols.Errno);
        var conditional = new List<(ISymbol Handle, HandleFacts Success, HandleFacts Failure)>();

        if (invocation.Instance is { } receiverOperation && _resolver.Resolve(receiverOperation) is { } receiver)
        {
            state = contract?.Receiver is { } receiverContract
                ? ApplyHandleContract(state, receiver, receiverContract, receiverOperation, invocation, returnsErrno, conditional)
                : UseWithoutContract(state, receiver, receiverOperation, escapes: false);
        }

        foreach (var argument in invocation.Arguments)
        {
            if (_resolver.Resolve(argument.Value) is not { } handle)
            {
                continue;
            }

            var parameterContract = argument.Parameter is { } parameter ? contract?.ParameterContract(parameter) : null;
            if (parameterContract is not null)
            {
                state = ApplyHandleContract(state, handle, parameterContract, argument, invocation, returnsErrno, conditional);
            }
            else if (argument.Parameter?.RefKind == RefKind.Out)
            {
                // Written by code without a contract (TryGetValue and the like): nothing is known about it.
                state = state.With(handle, HandleFacts.UnknownOf(_resolver.HandleTypeOf(handle)!).AsEscaped());
            }
            else
            {
                // An annotated API keeps nothing it is not declared to take; unannotated code may keep anything.
                state = UseWithoutContract(state, handle, argument, escapes: contract is null && !Symbols.IsAnnotatedApi(method.ContainingType));
            }
        }

        if (conditional.Count > 0)
        {
            var effects = conditional.Select(c => new PendingEffect(
                c.Handle,
                c.Success.Join(c.Failure).WithUncheckedCall(c.Failure.States.Contains(StateSet.Absent) ? method.Name : null),
                c.Success,
                c.Failure)).ToImmutableArray();
            state = state.WithPending(resultKey, effects);
        }

        return contract is null ? state : ApplyIovaRanges(state, contract, invocation);
    }

    // An interface call on a handle (IDisposable.Dispose from a using) runs the handle type's implementation.
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

    private FlowState UseWithoutContract(FlowState state, ISymbol handle, IOperation at, bool escapes)
    {
        CheckNotReleased(handle, FactsOf(state, handle), at);
        return escapes ? Change(state, handle, f => f.AsEscaped()) : state;
    }

    private FlowState ApplyHandleContract(FlowState state, ISymbol handle, HandleContract contract, IOperation at,
        IInvocationOperation invocation, bool returnsErrno, List<(ISymbol, HandleFacts, HandleFacts)> conditional)
    {
        var facts = FactsOf(state, handle);
        var type = facts.Type;
        var ownedElsewhere = handle is not ILocalSymbol;

        if (contract.Acquires >= 0)
        {
            var acquired = new HandleFacts(type, StateSet.Of(contract.Acquires), escaped: ownedElsewhere, acquiredBy: ownedElsewhere ? null : invocation);
            if (!returnsErrno)
            {
                return state.With(handle, acquired);
            }

            conditional.Add((handle, acquired, new HandleFacts(type, StateSet.Of(StateSet.Absent), escaped: ownedElsewhere)));
            return state;
        }

        if (Violates(handle, facts, contract, at, invocation.TargetMethod.Name))
        {
            // Reported once: the handle's state is unreliable from here on, so stop checking it.
            facts = facts.AsUnknown();
            state = Change(state, handle, f => f.AsUnknown());
        }

        if (contract.Releases)
        {
            return state.With(handle, facts.Released(invocation.TargetMethod.Name));
        }

        if (contract.TakesOwnership)
        {
            state = Change(state, handle, f => f.AsEscaped());
            facts = facts.AsEscaped();
        }

        if (contract.TransitionTo >= 0)
        {
            var moved = facts.WithStates(StateSet.Of(contract.TransitionTo)).Checked();
            if (contract.TransitionAlways || !returnsErrno)
            {
                return state.With(handle, moved);
            }

            conditional.Add((handle, moved, facts.Checked()));
        }

        return state;
    }

    /// <summary>Whether the handle's possible states break a requirement of the call (reported when a sink is set).</summary>
    private bool Violates(ISymbol handle, HandleFacts facts, HandleContract contract, IOperation at, string callName)
    {
        if (facts.Unknown || contract.Requirements.Count == 0 && !facts.States.Contains(StateSet.Released))
        {
            return false;
        }

        var location = LocationOf(at);
        if (facts.States.Contains(StateSet.Released))
        {
            CheckNotReleased(handle, facts, at);
            return true;
        }

        if (facts.States.Contains(StateSet.Absent) && facts.UncheckedCall is { } uncheckedCall)
        {
            Sink?.Report(ContractDiagnostics.UncheckedResult, location, $"'{handle.Name}' is used before the result of '{uncheckedCall}' was checked");
            return true;
        }

        var live = facts.States.Without(StateSet.Absent);
        if (live.IsEmpty)
        {
            return false;
        }

        foreach (var (allowed, rule) in contract.Requirements)
        {
            if (live.IsSubsetOf(allowed))
            {
                continue;
            }

            // A VFIO rule names the ioctl; the others name the handle.
            var name = rule == ContractDiagnostics.VfioIoctlBeforeBind.Id ? callName : handle.Name;
            // Name the wrong states only: "may be Created" rather than "may be Created or Attached".
            var wrong = live.Except(allowed);
            var detail = rule == ContractDiagnostics.UseAfterRelease.Id
                ? $"{facts.Type.Describe(wrong)} while '{callName}' needs it {facts.Type.Describe(allowed)}"
                : facts.Type.Describe(wrong);
            Sink?.ReportRule(rule, definite: !live.Overlaps(allowed), location, name, detail);
            return true;
        }

        return false;
    }

    private FlowState ApplyIovaRanges(FlowState state, MethodContract contract, IInvocationOperation invocation)
    {
        switch (contract.IovaRangesEffect)
        {
            case RangesInvalidated:
                return state.WithRangesStale(true);
            case RangesRefreshed:
                return state.WithRangesStale(false);
            case RangesRequired when state.RangesStale && MapsAtFixedIova(invocation):
                Sink?.Report(ContractDiagnostics.MapWithStaleRanges, invocation.Syntax.GetLocation(), invocation.TargetMethod.Name);
                return state.WithRangesStale(false);
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
}
