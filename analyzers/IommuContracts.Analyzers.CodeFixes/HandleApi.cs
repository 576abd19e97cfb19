using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// Finds, from the contract attributes alone, the call that fixes a handle's state: the one that moves it
/// into the state a call needs (detach before unbind), the twin of a call for the other state (replace for
/// attach), and the [StateQuery] property that tells the states apart.
/// </summary>
internal static class HandleApi
{
    /// <summary>
    /// The handle argument a diagnostic's span points into, with its call and the parameter it binds to; null
    /// when the document cannot see the contracts or the span is not inside an argument of a call.
    /// </summary>
    public static async Task<(SyntaxNode Root, ContractSymbols Symbols, ArgumentSyntax Argument, InvocationExpressionSyntax Call, IInvocationOperation Invocation, IParameterSymbol Parameter)?> FindHandleArgumentAsync(Document document, TextSpan span, CancellationToken token)
    {
        var root = await document.GetSyntaxRootAsync(token).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(token).ConfigureAwait(false);
        if (root is null || model is null || ContractSymbols.TryCreate(model.Compilation) is not { } symbols
            || root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<ArgumentSyntax>() is not { } argument
            || argument.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } call
            || model.GetOperation(call, token) is not IInvocationOperation invocation
            || invocation.Arguments.FirstOrDefault(a => argument.Span.Contains(a.Syntax.Span))?.Parameter is not { } parameter)
        {
            return null;
        }

        return (root, symbols, argument, call, invocation, parameter);
    }

    /// <summary>
    /// A method of <paramref name="call"/>'s type taking only the handle, that moves it into a state
    /// <paramref name="call"/> accepts from one it does not (DeviceDetach for DeviceUnbind).
    /// </summary>
    public static IMethodSymbol? MoveIntoAcceptedState(IMethodSymbol call, IParameterSymbol handleParameter, ContractSymbols symbols)
    {
        if (symbols.ContractOf(call)?.ParameterContract(handleParameter) is not { Requirements.Count: > 0 } needed)
        {
            return null;
        }

        var accepted = needed.Requirements[0].Allowed;
        return call.ContainingType.GetMembers().OfType<IMethodSymbol>().FirstOrDefault(candidate =>
            candidate.Parameters.Length == 1
            && SymbolEqualityComparer.Default.Equals(candidate.Parameters[0].Type, handleParameter.Type)
            && symbols.ContractOf(candidate)?.ParameterContract(candidate.Parameters[0]) is { TransitionTo: >= 0 } move
            && accepted.Contains(move.TransitionTo)
            && move.Requirements.Any(r => !r.Allowed.IsSubsetOf(accepted)));
    }

    /// <summary>A method of the same type with the same parameters whose handle must be in a state <paramref name="call"/> refuses (DeviceReplace for DeviceAttach).</summary>
    public static IMethodSymbol? TwinForOtherState(IMethodSymbol call, IParameterSymbol handleParameter, ContractSymbols symbols)
    {
        if (symbols.ContractOf(call)?.ParameterContract(handleParameter) is not { Requirements.Count: > 0 } needed)
        {
            return null;
        }

        var accepted = needed.Requirements[0].Allowed;
        return call.ContainingType.GetMembers().OfType<IMethodSymbol>().FirstOrDefault(candidate =>
            !SymbolEqualityComparer.Default.Equals(candidate, call)
            && candidate.Parameters.Length == call.Parameters.Length
            && candidate.Parameters.Zip(call.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type) && a.RefKind == b.RefKind).All(same => same)
            && symbols.ContractOf(candidate)?.ParameterContract(candidate.Parameters[handleParameter.Ordinal]) is { Requirements.Count: > 0 } other
            && !other.Requirements[0].Allowed.Overlaps(accepted));
    }

    /// <summary>The [StateQuery] property of the handle type that answers "is it in one of <paramref name="states"/>".</summary>
    public static IPropertySymbol? QueryFor(ITypeSymbol handleType, StateSet states, ContractSymbols symbols)
    {
        if (symbols.HandleTypeOf(handleType) is not { } type)
        {
            return null;
        }

        return handleType.GetMembers().OfType<IPropertySymbol>().FirstOrDefault(p =>
            ContractSymbols.Find(p, symbols.StateQuery) is { ConstructorArguments.Length: 1 } query
            && type.IndexOf(query.ConstructorArguments[0].Value as string ?? string.Empty) is var index && index >= 0
            && states.Contains(index));
    }

    /// <summary>The states a call's handle parameter must be in.</summary>
    public static StateSet Required(IMethodSymbol method, IParameterSymbol parameter, ContractSymbols symbols)
        => symbols.ContractOf(method)?.ParameterContract(parameter) is { Requirements.Count: > 0 } contract ? contract.Requirements[0].Allowed : StateSet.Empty;
}
