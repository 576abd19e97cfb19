using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// The prefilter: whether a body touches a handle at all (calls something annotated, names a variable of a handle
/// type, calls something that returns one, or calls a method of its own type that may change handle fields). Bodies
/// that do not get no control-flow graph and no summary.
/// </summary>
internal static class HandleUse
{
    public static bool Touches(IOperation root, ContractSymbols symbols, bool typeHasHandleFields)
        => OperationTree.Any(root, operation => IsTouch(operation, symbols, typeHasHandleFields));

    /// <summary>
    /// The same question for the graph of a lambda or local function inside an analysed body: one that touches no
    /// handle changes none and can misuse none, so it is neither summarised nor reported. A body nested in it counts as
    /// a touch (it is analysed through its holder).
    /// </summary>
    public static bool Touches(ControlFlowGraph graph, MethodScope scope)
    {
        if (!graph.LocalFunctions.IsEmpty)
        {
            return true;
        }

        var typeHasHandleFields = scope.Owner.ContainingType is not { } type || scope.Summaries is not { } summaries || summaries.HasHandleFields(type);
        return GraphOperations.All(graph).Any(operation => operation is IFlowAnonymousFunctionOperation || IsTouch(operation, scope.Symbols, typeHasHandleFields));
    }

    private static bool IsTouch(IOperation operation, ContractSymbols symbols, bool typeHasHandleFields)
        => operation switch
        {
            IInvocationOperation invocation => symbols.IsAnnotated(invocation.TargetMethod) || symbols.HandleTypeOf(invocation.Type) is not null
                || (typeHasHandleFields && HandleResolver.IsThis(HandleResolver.Strip(invocation.Instance)) && !invocation.TargetMethod.IsStatic
                    && !invocation.TargetMethod.DeclaringSyntaxReferences.IsEmpty),
            ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation
                => symbols.HandleTypeOf(operation.Type) is not null,
            _ => false,
        };
}
