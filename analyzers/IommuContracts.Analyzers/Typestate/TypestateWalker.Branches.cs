using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

// Branches: a condition that tests a result or a flag restores the handles' facts of that side; one that tests a
// handle for null or asks a [StateQuery] property narrows the handle's states on each side. Queries are understood
// however they are written: idev.IsAttached, !idev.IsAttached, idev.IsAttached == false, idev?.IsAttached == true,
// idev is { IsAttached: true } d, idev is not { IsAttached: true }, switch (idev.IsAttached), switch on patterns.
internal sealed partial class TypestateWalker
{
    /// <summary>The states on the true and on the false side of <paramref name="condition"/> (already evaluated).</summary>
    public (FlowState WhenTrue, FlowState WhenFalse) Refine(IOperation condition, FlowState state)
    {
        condition = HandleResolver.Strip(condition)!;
        if (Test(condition, state) is { } tested)
        {
            return tested;
        }

        switch (condition)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } nullTest
                when (PresenceTest(nullTest.LeftOperand, nullTest.RightOperand, state) ?? PresenceTest(nullTest.RightOperand, nullTest.LeftOperand, state)) is { } present:
                // field == null: true where the flag is false.
                var whenNull = (Assume(state, present, false), Assume(state, present, true));
                return nullTest.OperatorKind == BinaryOperatorKind.Equals ? whenNull : (whenNull.Item2, whenNull.Item1);

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
                when ResultKey(test.Arguments[0].Value, state) is { } key:
                var isError = test.TargetMethod.Name == "IsError";
                return (Assume(state, key, !isError), Assume(state, key, isError));

            case IIsNullOperation isNull when Resolver.Resolve(isNull.Operand) is { } nullable:
                return (Narrow(state, nullable, toNull: true), Narrow(state, nullable, toNull: false));
        }

        return (state, state);
    }

    // A bool-valued expression used as a test: a flag, a helper's bool result, a state query (also through ?. and the
    // captures of a switch), a pattern, a negation of one of those.
    private (FlowState WhenTrue, FlowState WhenFalse)? Test(IOperation operation, FlowState state)
    {
        operation = HandleResolver.Strip(operation)!;
        switch (operation)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                var inner = Test(not.Operand, state) ?? Refine(not.Operand, state);
                return (inner.WhenFalse, inner.WhenTrue);
            case IIsPatternOperation isPattern:
                return RefinePattern(isPattern.Value, isPattern.Pattern, state);
            case IPropertyReferenceOperation property when StateQuery(property) is { } query:
                return (Query(state, query.Handle, query.State, holds: true), Query(state, query.Handle, query.State, holds: false));
            case IInvocationOperation invocation when KeyedQuery(invocation) is { } keyed:
                return KeyedSides(state, keyed);
            case IFlowCaptureReferenceOperation keyedCapture when KeyedQueryThroughCapture(keyedCapture) is { } keyed:
                return KeyedSides(state, keyed);
            case IFlowCaptureReferenceOperation capture when QueryThroughCapture(capture) is { } query:
                return (Query(state, query.Handle, query.State, holds: true), Query(state, query.Handle, query.State, holds: false, keepNull: query.Nullable));
            case IPropertyReferenceOperation { Property.Name: "HasValue" } hasValue when PresenceVariable(HandleResolver.Strip(hasValue.Instance)) is { } present
                && state.Flags.ContainsKey(present):
                return (Assume(state, present, true), Assume(state, present, false));
            case IIsNullOperation isNull when PresenceVariable(HandleResolver.Strip(isNull.Operand)) is { } nullable && state.Flags.ContainsKey(nullable):
                return (Assume(state, nullable, false), Assume(state, nullable, true));
        }

        if (ResultKey(operation, state) is { } key && operation.Type?.SpecialType == SpecialType.System_Boolean)
        {
            return (Assume(state, key, true), Assume(state, key, false));
        }

        return null;
    }

    // "x == y" as (when equal, when different).
    private (FlowState WhenTrue, FlowState WhenFalse)? RefineComparison(IOperation tested, IOperation other, FlowState state)
    {
        if (ResultKey(tested, state) is { } key && HandleResolver.Strip(tested)?.Type?.SpecialType != SpecialType.System_Boolean && IsZero(other) is { } zero)
        {
            // rc == Errno.None: success when equal; rc == Errno.EBUSY: failure when equal, unknown otherwise.
            return zero ? (Assume(state, key, true), Assume(state, key, false)) : (Assume(state, key, false), state);
        }

        if (HandleResolver.Strip(other)?.ConstantValue is { HasValue: true, Value: bool expected } && Test(tested, state) is { } sides)
        {
            return expected ? sides : (sides.WhenFalse, sides.WhenTrue);
        }

        if (Resolver.Resolve(tested) is { } handle && HandleResolver.Strip(other)?.ConstantValue is { HasValue: true, Value: null })
        {
            return (Narrow(state, handle, toNull: true), Narrow(state, handle, toNull: false));
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
        if (PresenceVariable(HandleResolver.Strip(value)) is { } present && state.Flags.ContainsKey(present))
        {
            // field is null / is { } / is not null: the field's presence flag.
            if (pattern is IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } })
            {
                sides = (Assume(state, present, false), Assume(state, present, true));
            }
            else if (pattern is IRecursivePatternOperation { PropertySubpatterns.IsEmpty: true, DeconstructionSubpatterns.IsEmpty: true } or ITypePatternOperation
                     or IDeclarationPatternOperation { MatchesNull: false })
            {
                sides = (Assume(state, present, true), Assume(state, present, false));
            }
        }
        else if (ResultKey(value, state) is { } key && pattern is IConstantPatternOperation constant && IsZero(constant.Value) is { } zero
            && HandleResolver.Strip(value)?.Type?.SpecialType != SpecialType.System_Boolean)
        {
            sides = zero ? (Assume(state, key, true), Assume(state, key, false)) : (Assume(state, key, false), state);
        }
        else if (pattern is IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: bool expected } } && Test(value, state) is { } tested)
        {
            sides = expected ? tested : (tested.WhenFalse, tested.WhenTrue);
        }
        else if (Resolver.Resolve(value) is { } handle)
        {
            switch (pattern)
            {
                case IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } }:
                    sides = (Narrow(state, handle, toNull: true), Narrow(state, handle, toNull: false));
                    break;
                case IRecursivePatternOperation or IDeclarationPatternOperation or ITypePatternOperation:
                    sides = RefineShape(state, handle, pattern);
                    break;
            }
        }

        // "Call() is var rc", "_queues[q] is { } access": the declared variable holds the value from here on.
        if (DeclaredSymbol(pattern) is ILocalSymbol declared && (sides is null || Resolver.Resolve(value) is null))
        {
            var (matched, unmatched) = sides ?? (state, pattern is IDeclarationPatternOperation { MatchesNull: true } ? FlowState.Dead : state);
            if (ResultKey(value, state) is { } tested && state.Flags.TryGetValue(tested, out var flag))
            {
                matched = matched.CopyFlag(declared, flag);
            }
            else if (Resolver.HandleTypeOf(declared) is { } type)
            {
                var facts = FactsOfValue(value, matched, type);
                matched = matched.Assign(declared, pattern is IDeclarationPatternOperation { MatchesNull: true } ? facts : facts.Narrowed(type.AnyEntry.Without(StateSet.Absent)));
            }

            sides = (matched, unmatched);
        }

        if (sides is not { } found)
        {
            return null;
        }

        return negated ? (found.Item2, found.Item1) : found;
    }

    // "h is { IsAttached: true } d": when it matches, h is not null, in the queried state, and d names the same handle.
    private (FlowState, FlowState) RefineShape(FlowState state, ISymbol handle, IPatternOperation pattern)
    {
        var matchesNull = pattern is IDeclarationPatternOperation { MatchesNull: true };
        var matched = matchesNull ? state : Narrow(state, handle, toNull: false);
        var queries = 0;
        var others = 0;
        (int State, bool Holds) single = default;
        if (pattern is IRecursivePatternOperation recursive)
        {
            others += recursive.DeconstructionSubpatterns.Length;
            foreach (var subpattern in recursive.PropertySubpatterns)
            {
                if (subpattern.Member is IPropertyReferenceOperation property && StateQueryOf(property.Property, handle) is { } queried
                    && ConstantBool(subpattern.Pattern) is { } holds)
                {
                    matched = Query(matched, handle, queried, holds);
                    single = (queried, holds);
                    queries++;
                }
                else
                {
                    others++;
                }
            }
        }

        if (DeclaredSymbol(pattern) is ILocalSymbol declared && Resolver.HandleTypeOf(declared) is not null)
        {
            matched = matched.Alias(declared, handle);
        }

        FlowState unmatched;
        if (matchesNull)
        {
            unmatched = state;
        }
        else if (queries == 0 && others == 0)
        {
            unmatched = Narrow(state, handle, toNull: true);
        }
        else if (queries == 1 && others == 0)
        {
            unmatched = Narrow(state, handle, toNull: true).Join(Query(state, handle, single.State, !single.Holds));
        }
        else
        {
            unmatched = state;
        }

        return (matched, unmatched);
    }

    // true / false, or not true / not false.
    private static bool? ConstantBool(IPatternOperation pattern)
    {
        var negated = false;
        while (pattern is INegatedPatternOperation negation)
        {
            negated = !negated;
            pattern = negation.Pattern;
        }

        return pattern is IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: bool value } } ? value != negated : null;
    }

    private static ISymbol? DeclaredSymbol(IPatternOperation pattern) => pattern switch
    {
        IRecursivePatternOperation recursive => recursive.DeclaredSymbol,
        IDeclarationPatternOperation declaration => declaration.DeclaredSymbol,
        _ => null,
    };

    // "field == null" where the field's presence is a flag: that flag.
    private ISymbol? PresenceTest(IOperation tested, IOperation other, FlowState state)
        => HandleResolver.Strip(other)?.ConstantValue is { HasValue: true, Value: null } && PresenceVariable(HandleResolver.Strip(tested)) is { } present
           && state.Flags.ContainsKey(present)
            ? present
            : null;

    // The result or flag a condition tests: a call tested in place, a result or flag variable (also through a capture).
    private object? ResultKey(IOperation operation, FlowState state)
    {
        var stripped = HandleResolver.Strip(operation);
        if (stripped is IFlowCaptureReferenceOperation capture && state.Flags.ContainsKey(capture.Id))
        {
            return capture.Id;
        }

        object? key = stripped is IInvocationOperation invocation ? invocation : (object?)Resolver.LocalOf(stripped) ?? ResultVariable(stripped);
        return key is not null && state.Flags.ContainsKey(key) ? key : null;
    }

    private static FlowState Assume(FlowState state, object key, bool value) => state.AssumeFlag(key, value, forget: key is IOperation);

    // true: the constant is Errno.None / 0; false: another constant; null: not a constant.
    private static bool? IsZero(IOperation operation)
    {
        var constant = HandleResolver.Strip(operation)!.ConstantValue;
        if (!constant.HasValue || constant.Value is null or bool or string)
        {
            return operation is IDefaultValueOperation ? true : null;
        }

        return IntegerConstant.IsZero(constant.Value);
    }

    // A keyed query's two sides: the handle's own state for its self key (PASID 0), the key's otherwise.
    private (FlowState WhenTrue, FlowState WhenFalse) KeyedSides(FlowState state, (ISymbol Handle, object Key, bool Self, int State, string Label) keyed)
        => keyed.Self
            ? (Query(state, keyed.Handle, keyed.State, holds: true), Query(state, keyed.Handle, keyed.State, holds: false))
            : (QueryKey(state, keyed.Handle, keyed.Key, keyed.State, holds: true, keyed.Label), QueryKey(state, keyed.Handle, keyed.Key, keyed.State, holds: false, keyed.Label));

    private (ISymbol Handle, int State)? StateQuery(IPropertyReferenceOperation property)
        => property.Instance is not null && Resolver.Resolve(property.Instance) is { } handle && StateQueryOf(property.Property, handle) is { } state
            ? (handle, state)
            : null;

    private int? StateQueryOf(IPropertySymbol property, ISymbol handle)
    {
        if (ContractSymbols.Find(property, Symbols.StateQuery) is not { ConstructorArguments.Length: 1 } attribute || Resolver.HandleTypeOf(handle) is not { } type)
        {
            return null;
        }

        var index = type.IndexOf(attribute.ConstructorArguments[0].Value as string ?? string.Empty);
        return index < 0 ? null : index;
    }

    // A capture fed by a state query (switch (idev.IsAttached)) or by a query and a null (idev?.IsAttached).
    private (ISymbol Handle, int State, bool Nullable)? QueryThroughCapture(IFlowCaptureReferenceOperation capture)
    {
        (ISymbol Handle, int State)? found = null;
        var nullable = false;
        foreach (var value in Resolver.ValuesOf(capture))
        {
            var stripped = HandleResolver.Strip(value);
            if (stripped is IDefaultValueOperation || stripped?.ConstantValue is { HasValue: true, Value: null })
            {
                nullable = true;
                continue;
            }

            if (stripped is not IPropertyReferenceOperation property || StateQuery(property) is not { } query
                || (found is { } previous && (previous.State != query.State || !SymbolEqualityComparer.Default.Equals(previous.Handle, query.Handle))))
            {
                return null;
            }

            found = query;
        }

        return found is { } result ? (result.Handle, result.State, nullable) : null;
    }

    private FlowState Narrow(FlowState state, ISymbol handle, bool toNull)
    {
        var facts = FactsOf(state, handle);
        if (facts.Unknown)
        {
            return state;
        }

        var keep = toNull ? StateSet.Of(StateSet.Absent) : facts.Type.AnyEntry.Without(StateSet.Absent);
        var narrowed = facts.Narrowed(keep);
        narrowed = toNull ? narrowed : narrowed.WithUncheckedCall(null);
        return narrowed.Equals(facts) ? state : state.Narrow(handle, narrowed);
    }

    // A [StateQuery] answer: even an unknown handle is known afterwards (that is what the query is for).
    private FlowState Query(FlowState state, ISymbol handle, int queried, bool holds, bool keepNull = false)
    {
        var facts = FactsOf(state, handle);
        var type = facts.Type;
        if (facts.Unknown)
        {
            var known = holds ? StateSet.Of(queried) : type.Live.Without(queried);
            return state.With(handle, facts.WithStates(keepNull && !holds ? known.With(StateSet.Absent) : known));
        }

        var keep = holds ? StateSet.Of(queried) : type.AnyEntry.Without(queried);
        if (!keepNull || holds)
        {
            keep = keep.Without(StateSet.Absent);
        }

        var narrowed = facts.Narrowed(keep);
        if (narrowed.States.Without(StateSet.Absent).IsEmpty && !(keepNull && narrowed.States.Contains(StateSet.Absent)))
        {
            // What the analysis knows says this side cannot happen. A released handle answers false: that side is
            // dead, and nothing on it is analysed. Otherwise the query knows better than the analysis.
            if (facts.States.Contains(StateSet.Released))
            {
                return FlowState.Dead;
            }

            return state.With(handle, facts.WithStates(holds ? StateSet.Of(queried) : type.Live.Without(queried)));
        }

        return state.Narrow(handle, narrowed);
    }
}
