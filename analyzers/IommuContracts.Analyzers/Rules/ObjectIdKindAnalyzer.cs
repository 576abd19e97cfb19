using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Rules;

/// <summary>
/// IOMMU0105: a typed object ID rebuilt from an ID of another kind through the escape hatches the types leave
/// open (<c>HwptId.FromObjectId(ioasId)</c>, <c>new HwptId(ioasId.Value)</c>); the kernel answers ENOENT. An ID
/// of several kinds (<c>[TypedObjectId(typeof(IoasId), typeof(HwptId))] PageTableId</c>) stands for each of its
/// kinds: only a source and target that share no kind are reported (<c>PageTableId.FromObjectId(deviceId)</c>;
/// <c>HwptId.FromObjectId(pageTableId)</c> may be right and is not).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ObjectIdKindAnalyzer : ContractAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ContractDiagnostics.InternalError, ContractDiagnostics.WrongIdKind);

    private protected override void Register(CompilationStartAnalysisContext start, ContractSymbols symbols)
    {
        if (symbols.TypedObjectId is null)
        {
            return;
        }

        start.RegisterOperationAction(Guarded(operation =>
        {
            var invocation = (IInvocationOperation)operation.Operation;
            if (invocation.TargetMethod is { Name: "FromObjectId", IsStatic: true, ContainingType: { } target } && IsTypedId(target, symbols)
                && invocation.Arguments.Length == 1 && SourceKind(invocation.Arguments[0].Value, symbols) is { } source
                && !ShareAKind(source, target, symbols))
            {
                operation.ReportDiagnostic(Diagnostic.Create(ContractDiagnostics.WrongIdKind, invocation.Arguments[0].Syntax.GetLocation(), source.Name, target.Name));
            }
        }), OperationKind.Invocation);

        start.RegisterOperationAction(Guarded(operation =>
        {
            var creation = (IObjectCreationOperation)operation.Operation;
            if (creation.Type is INamedTypeSymbol target && IsTypedId(target, symbols) && creation.Arguments.Length == 1
                && creation.Arguments[0].Value is IFieldReferenceOperation { Field.Name: "Value", Instance: { Type: INamedTypeSymbol source } }
                && IsTypedId(source, symbols) && !ShareAKind(source, target, symbols))
            {
                operation.ReportDiagnostic(Diagnostic.Create(ContractDiagnostics.WrongIdKind, creation.Arguments[0].Syntax.GetLocation(), source.Name, target.Name));
            }
        }), OperationKind.ObjectCreation);
    }

    private static bool IsTypedId(INamedTypeSymbol type, ContractSymbols symbols) => ContractSymbols.Has(type, symbols.TypedObjectId);

    private static bool ShareAKind(INamedTypeSymbol source, INamedTypeSymbol target, ContractSymbols symbols)
    {
        var targetKinds = KindsOf(target, symbols);
        return KindsOf(source, symbols).Any(kind => targetKinds.Contains(kind, SymbolEqualityComparer.Default));
    }

    // An ID of one kind is its own kind; an ID of several lists them on its [TypedObjectId(...)].
    private static ImmutableArray<ITypeSymbol> KindsOf(INamedTypeSymbol type, ContractSymbols symbols)
    {
        var attribute = ContractSymbols.Find(type, symbols.TypedObjectId);
        if (attribute is { ConstructorArguments.Length: 1 } && attribute.ConstructorArguments[0] is { Kind: TypedConstantKind.Array, IsNull: false } kinds
            && kinds.Values.Length > 0)
        {
            return kinds.Values.Select(k => k.Value).OfType<ITypeSymbol>().ToImmutableArray();
        }

        return ImmutableArray.Create<ITypeSymbol>(type);
    }

    // The typed ID an untyped ObjectId came from: an implicit conversion, or AsObjectId().
    private static INamedTypeSymbol? SourceKind(IOperation value, ContractSymbols symbols)
    {
        var source = value switch
        {
            IConversionOperation { Operand.Type: INamedTypeSymbol converted } => converted,
            IInvocationOperation { TargetMethod.Name: "AsObjectId", Instance.Type: INamedTypeSymbol instance } => instance,
            _ => null,
        };
        return source is not null && IsTypedId(source, symbols) ? source : null;
    }
}
