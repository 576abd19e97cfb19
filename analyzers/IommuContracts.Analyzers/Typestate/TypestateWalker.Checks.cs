using System.Collections.Generic;
using IommuContracts.Analyzers.Infrastructure;
using IommuContracts.Analyzers.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

// Requirements: whether the states a handle may be in break what a call (or a use) needs, who is to blame, and what
// is reported. For a handle the method was handed, a requirement broken only because of the state it came in with is
// the caller's: that entry state is ruled out here and becomes part of the method's summary. One broken because of
// what the method itself did, or broken whatever it came in with, is the method's mistake and is reported here.
internal sealed partial class TypestateWalker
{
    /// <summary>Checks one requirement; returns the state and facts to go on with, and whether a report was made.</summary>
    private (FlowState State, HandleFacts Facts, bool Reported) Require(FlowState state, ISymbol handle, HandleFacts facts, StateSet allowed, string rule,
        IOperation at, string? callName, int transitionTo)
    {
        if (facts.Unknown)
        {
            return (state, facts, false);
        }

        if (facts.States.Contains(StateSet.Absent) && facts.UncheckedCall is { } uncheckedCall)
        {
            ReportUnchecked(handle, facts, uncheckedCall, at);

            // Reported once: the handle's state is unreliable from here on, so stop checking it.
            return Unreliable(state, handle, facts);
        }

        if (facts.Rows is not { IsChecked: false } rows)
        {
            var live = facts.States.Without(StateSet.Absent).Without(StateSet.AtEntry);
            var bad = live.Except(allowed);
            if (bad.IsEmpty)
            {
                Reports?.Clean(rule, LocationOf(at));
                return (state, facts, false);
            }

            ReportViolation(rule, definite: !live.Overlaps(allowed) && !facts.Partial, at, handle, facts, bad, allowed, callName, transitionTo);
            return Unreliable(state, handle, facts);
        }

        var type = facts.Type;
        var anyFine = false;
        var methodBad = StateSet.Empty;
        var entryBad = StateSet.Empty;
        var badRows = new List<int>();
        for (var row = 0; row < rows.Count; row++)
        {
            var current = rows.Current(row);
            if (current.IsEmpty)
            {
                continue;
            }

            var entry = type.StateOfRow(row);
            var made = current.Without(StateSet.AtEntry).Without(StateSet.Absent);
            var given = current.Contains(StateSet.AtEntry) && entry != StateSet.Absent ? StateSet.Of(entry) : StateSet.Empty;
            anyFine |= made.Union(given).Overlaps(allowed);
            methodBad = methodBad.Union(made.Except(allowed));
            if (!given.IsEmpty && !given.IsSubsetOf(allowed))
            {
                entryBad = entryBad.Union(given);
                badRows.Add(row);
            }
        }

        if (!methodBad.IsEmpty || (!entryBad.IsEmpty && !anyFine))
        {
            // The method's own doing, or a path no entry state gets through correctly.
            var definite = !anyFine && !facts.Partial;
            ReportViolation(rule, definite, at, handle, facts, definite ? methodBad.Union(entryBad) : methodBad, allowed, callName, transitionTo);
            return Unreliable(state, handle, facts);
        }

        Reports?.Clean(rule, LocationOf(at));
        if (badRows.Count == 0)
        {
            return (state, facts, false);
        }

        // Only some entry states break it: the caller must not pass those (a requirement of this method).
        foreach (var row in badRows)
        {
            rows = rows.WithViolation(row, rows.Current(row).Without(StateSet.AtEntry), rule);
        }

        facts = facts.WithRows(rows);
        return (state.With(handle, facts), facts, false);
    }

    private static (FlowState, HandleFacts, bool) Unreliable(FlowState state, ISymbol handle, HandleFacts facts)
    {
        var unknown = facts.AsReported();
        return (state.With(handle, unknown), unknown, true);
    }

    private void ReportUnchecked(ISymbol handle, HandleFacts facts, IOperation call, IOperation at)
    {
        // One report per unchecked call, and none where the unchecked-result rule already reports the call itself.
        if (Reports is not { } reports || ReportedByUncheckedResultRule(call))
        {
            return;
        }

        var name = (call as IInvocationOperation)?.TargetMethod.Name ?? "the call";
        var what = facts.FailurePath
            ? $"'{handle.Name}' is used on a path where '{name}' failed (its result is tested, but that path goes on and the handle is null there)"
            : $"'{handle.Name}' is used before the result of '{name}' was checked";
        reports.ReportOnce(call, ContractDiagnostics.UncheckedResult, LocationOf(at), what, UncheckedResultAnalyzer.AdviceWithOutputs);
    }

    // Asked at every visit that reports (a block is visited again while its states settle): the body's tree is searched
    // once per call.
    private bool ReportedByUncheckedResultRule(IOperation call)
    {
        if (!_reportedByUncheckedResult.TryGetValue(call, out var reported))
        {
            reported = call is IInvocationOperation invocation && Original(invocation) is { } original
                && UncheckedResultAnalyzer.IsReported(original, Symbols);
            _reportedByUncheckedResult[call] = reported;
        }

        return reported;
    }

    // The call as it stands in the method's own operation tree (the graph's copy has no parents beyond its block).
    private IInvocationOperation? Original(IInvocationOperation invocation)
    {
        foreach (var operation in _graph.OriginalOperation.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation original && original.Syntax == invocation.Syntax)
            {
                return original;
            }
        }

        return null;
    }

    private void ReportViolation(string rule, bool definite, IOperation at, ISymbol handle, HandleFacts facts, StateSet bad, StateSet allowed, string? callName, int transitionTo)
    {
        if (Reports is null)
        {
            return;
        }

        var type = facts.Type;
        if (bad == StateSet.Of(StateSet.Released))
        {
            // Used after release: the type's own rule, whatever the call's rule is for its live states.
            rule = type.UseAfterReleaseRule;
        }
        else
        {
            // A live state the call does not accept is the call's own mistake (bound before an ioctl, attached
            // before an unbind); that the handle may also be released already is the lesser news.
            bad = bad.Without(StateSet.Released);
        }

        var location = LocationOf(at);
        if (rule == ContractDiagnostics.AccessNotAttached.Id)
        {
            Reports.Violation(rule, definite, location, certain => new object[] { handle.Name, AccessDetail(type, bad, allowed, transitionTo, facts.ReleasedBy, certain, callName) });
            return;
        }

        // A VFIO rule names the ioctl; the others name the handle.
        var name = rule == ContractDiagnostics.VfioIoctlBeforeBind.Id && callName is not null ? callName : handle.Name;
        string detail;
        if (bad.Contains(StateSet.Released))
        {
            detail = "released" + (facts.ReleasedBy is { } by ? " (by " + by + ")" : string.Empty);
        }
        else if (rule == ContractDiagnostics.UseAfterRelease.Id && callName is not null)
        {
            // Name the wrong states only: "may be Created" rather than "may be Created or Attached".
            detail = $"{type.Describe(bad)} while '{callName}' needs it {type.Describe(allowed.Intersect(type.Live))}";
        }
        else
        {
            detail = type.Describe(bad);
        }

        Reports.Violation(rule, definite, location, _ => new object[] { name, detail });
    }

    // IOMMU0013 says which of its three mistakes it is: used before attach, attached again, used after destroy.
    private static string AccessDetail(HandleType type, StateSet bad, StateSet allowed, int transitionTo, string? releasedBy, bool definite, string? callName)
    {
        var by = releasedBy is null ? string.Empty : " (" + releasedBy + ")";
        if (bad.Contains(StateSet.Released))
        {
            return definite
                ? $"is used after it was destroyed{by}; stop using an access once it is destroyed"
                : $"may already be destroyed{by} on some path here; stop using it after destroy on every path";
        }

        var wrong = type.Describe(bad);
        if (transitionTo >= 0 && bad.Contains(transitionTo))
        {
            // The call would move it to where it already is: attached twice, detached twice.
            return definite
                ? $"is already {wrong}; '{callName}' runs once per change (attach once, detach once; move an attached access with a replace)"
                : $"may already be {wrong} on some path here; '{callName}' runs once per change, on every path";
        }

        var needed = type.Describe(allowed.Intersect(type.Live));
        return definite
            ? $"is {wrong}, not {needed} yet; attach it to an IOAS before pinning or reading through it"
            : $"may be {wrong}, not {needed}, on some path here; attach it before pinning or reading, on every path";
    }
}
