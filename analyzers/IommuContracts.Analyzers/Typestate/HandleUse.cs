using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
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
        => OperationTree.Any(root, operation => operation switch
        {
            IInvocationOperation invocation => symbols.IsAnnotated(invocation.TargetMethod) || symbols.HandleTypeOf(invocation.Type) is not null
                || (typeHasHandleFields && HandleResolver.IsThis(HandleResolver.Strip(invocation.Instance)) && !invocation.TargetMethod.IsStatic
                    && !invocation.TargetMethod.DeclaringSyntaxReferences.IsEmpty),
            ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation
                => symbols.HandleTypeOf(operation.Type) is not null,
            _ => false,
        });
}
