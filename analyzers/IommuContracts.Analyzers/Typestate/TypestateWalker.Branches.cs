using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

// Branches: a condition that tests a call's Errno resolves its pending effects; one that tests a handle
// for null or asks a [StateQuery] property narrows the handle's states on each side.
internal sealed partial class TypestateWalker
{
    /// <summary>The states on the true and on the false side of <paramref name="condition"/> (already evaluated).</summary>
    public (FlowState WhenTrue, FlowState WhenFalse) Refine(IOperation condition, FlowState state)
    {
        condition = HandleResolver.Strip(condition)!;
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                var (t, f) = Refine(not.Operand, state);
                return (f, t);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary:
                var equals = binary.OperatorKind == BinaryOperatorKind.Equals;
                var refined = RefineComparison(binary.LeftOperand, binary.RightOperand, state)
                              ?? RefineComparison(binary.RightOperand, binary.LeftOperand, state);
                if (refined is { } sides)
                {
                    return equals ? sides : (sides.WhenFalse, sides.WhenTrue);
                }

                break;

            case IInvocationOperation { TargetMethod.Name: "IsError" or "IsSuccess", Arguments.Length: 1 } test
                when ResultKey(test.Arguments[0].Value, state) is { } tested:
                var isError = test.TargetMethod.Name == "IsError";
                return (state.Resolve(tested, succeeded: !isError), state.Resolve(tested, succeeded: isError));

            case IIsNullOperation isNull when _resolver.Resolve(isNull.Operand) is { } nullable:
                return (Narrow(state, nullable, toNull: true), Narrow(state, nullable, toNull: false));

            case IIsPatternOperation isPattern:
                if (RefinePattern(isPattern.Value, isPattern.Pattern, state) is { } patternSides)
                {
                    return patternSides;
                }

                break;

            case ILocalReferenceOperation or IFieldReferenceOperation when FlagSymbol(condition) is { } flag && state.Flags.ContainsKey(flag):
                return (state.AssumeFlag(flag, true), state.AssumeFlag(flag, false));

            case IPropertyReferenceOperation property when StateQuery(property) is { } query:
                return (Query(state, query.Handle, query.State, holds: true), Query(state, query.Handle, query.State, holds: false));
        }

        return (state, state);
    }

    // "x == y" as (when equal, when different).
    private (FlowState WhenTrue, FlowState WhenFalse)? RefineComparison(IOperation tested, IOperation other, FlowState state)
    {
        if (ResultKey(tested, state) is { } key && IsZero(other) is { } zero)
        {
            // rc == Errno.None: success when equal; rc == Errno.EBUSY: failure when equal, unknown otherwise.
            return zero ? (state.Resolve(key, succeeded: true), state.Resolve(key, succeeded: false)) : (state.Resolve(key, succeeded: false), state);
        }

        if (_resolver.Resolve(tested) is { } handle && other.ConstantValue is { HasValue: true, Value: null })
        {
            return (Narrow(state, handle, toNull: true), Narrow(state, handle, toNull: false));
        }

        if (HandleResolver.Strip(tested) is IPropertyReferenceOperation property && StateQuery(property) is { } query
            && other.ConstantValue is { HasValue: true, Value: bool expected })
        {
            return (Query(state, query.Handle, query.State, holds: expected), Query(state, query.Handle, query.State, holds: !expected));
        }

        return null;
    }

    private (FlowState WhenTrue, FlowState WhenFalse)? RefinePattern(IOperation value, IPatternOperation pattern, FlowState state)
    {
        var negated = false;
        while (pattern is INegatedPatternOperation negation)
        {
            negated = !negated;
            pattern = negation.Pattern;
        }

        (FlowState, FlowState)? sides = null;
        if (ResultKey(value, state) is { } key && pattern is IConstantPatternOperation constant && IsZero(constant.Value) is { } zero)
        {
            sides = zero ? (state.Resolve(key, true), state.Resolve(key, false)) : (state.Resolve(key, false), state);
        }
        else if (_resolver.Resolve(value) is { } handle)
        {
            switch (pattern)
            {
                case IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } }:
                    sides = (Narrow(state, handle, toNull: true), Narrow(state, handle, toNull: false));
                    break;
                case IRecursivePatternOperation or IDeclarationPatternOperation or ITypePatternOperation:
                    // "h is { } x": when it matches, h is not null and x names the same handle.
                    var matched = Narrow(state, handle, toNull: false);
                    if (DeclaredSymbol(pattern) is ILocalSymbol declared && _resolver.HandleTypeOf(declared) is not null)
                    {
                        matched = matched.With(declared, FactsOf(matched, handle).AsEscaped().WithAcquiredBy(null));
                    }

                    sides = (matched, Narrow(state, handle, toNull: true));
                    break;
            }
        }

        if (sides is not { } found)
        {
            return null;
        }

        return negated ? (found.Item2, found.Item1) : found;
    }

    private static ISymbol? DeclaredSymbol(IPatternOperation pattern) => pattern switch
    {
        IRecursivePatternOperation recursive => recursive.DeclaredSymbol,
        IDeclarationPatternOperation declaration => declaration.DeclaredSymbol,
        _ => null,
    };

    // The result a condition tests: a local holding a pending Errno, or a call tested in place.
    private object? ResultKey(IOperation operation, FlowState state)
    {
        object? key = HandleResolver.Strip(operation) is IInvocationOperation invocation ? invocation : _resolver.LocalOf(operation);
        return key is not null && state.Pending.ContainsKey(key) ? key : null;
    }

    // true: the constant is Errno.None / 0; false: another constant; null: not a constant.
    private static bool? IsZero(IOperation operation)
    {
        var constant = HandleResolver.Strip(operation)!.ConstantValue;
        if (!constant.HasValue || constant.Value is null or bool or string)
        {
            return operation is IDefaultValueOperation ? true : null;
        }

        return System.Convert.ToInt64(constant.Value, System.Globalization.CultureInfo.InvariantCulture) == 0;
    }

    private (ISymbol Handle, int State)? StateQuery(IPropertyReferenceOperation property)
    {
        if (property.Instance is null || _resolver.Resolve(property.Instance) is not { } handle
            || ContractSymbols.Find(property.Property, Symbols.StateQuery) is not { ConstructorArguments.Length: 1 } attribute
            || _resolver.HandleTypeOf(handle) is not { } type)
        {
            return null;
        }

        var index = type.IndexOf(attribute.ConstructorArguments[0].Value as string ?? string.Empty);
        return index < 0 ? null : (handle, index);
    }

    private FlowState Narrow(FlowState state, ISymbol handle, bool toNull)
    {
        var facts = FactsOf(state, handle);
        if (facts.Unknown)
        {
            return state;
        }

        var narrowed = toNull ? facts.States.Intersect(StateSet.Of(StateSet.Absent)) : facts.States.Without(StateSet.Absent);
        return narrowed == facts.States ? state : state.With(handle, facts.WithStates(narrowed).WithUncheckedCall(toNull ? facts.UncheckedCall : null));
    }

    // A [StateQuery] answer: even an unknown handle is known afterwards (that is what the query is for).
    private FlowState Query(FlowState state, ISymbol handle, int queried, bool holds)
    {
        var facts = FactsOf(state, handle);
        var possible = facts.Unknown ? facts.Type.Live : facts.States;
        var narrowed = holds ? possible.Intersect(StateSet.Of(queried)) : possible.Without(queried).Without(StateSet.Absent);
        return state.With(handle, facts.WithStates(narrowed.IsEmpty && holds ? StateSet.Of(queried) : narrowed));
    }
}
