using System.Collections.Immutable;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Rules;

/// <summary>
/// IOMMU0010: setting a [SecurityDowngrade] property (allow_unsafe_interrupts) to anything but false, unless
/// the member or its type accepts it with [SecurityDowngradeJustified("reason")].
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SecurityDowngradeAnalyzer : ContractAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ContractDiagnostics.InternalError, ContractDiagnostics.UnsafeInterrupts);

    private protected override void Register(CompilationStartAnalysisContext start, ContractSymbols symbols)
    {
        if (symbols.SecurityDowngrade is null)
        {
            return;
        }

        start.RegisterOperationAction(Guarded(operation =>
        {
            var assignment = (ISimpleAssignmentOperation)operation.Operation;
            if (assignment.Target is not IPropertyReferenceOperation { Property: { } property }
                || !ContractSymbols.Has(property, symbols.SecurityDowngrade)
                || assignment.Value.ConstantValue is { HasValue: true, Value: false }
                || Justified(operation.ContainingSymbol, symbols))
            {
                return;
            }

            operation.ReportDiagnostic(Diagnostic.Create(ContractDiagnostics.UnsafeInterrupts, assignment.Syntax.GetLocation(), property.Name));
        }), OperationKind.SimpleAssignment);
    }

    private static bool Justified(ISymbol member, ContractSymbols symbols)
    {
        for (var current = member; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            var candidate = current is IMethodSymbol { AssociatedSymbol: { } property } ? property : current;
            if (ContractSymbols.Find(candidate, symbols.SecurityDowngradeJustified) is { ConstructorArguments.Length: 1 } attribute
                && attribute.ConstructorArguments[0].Value is string reason && !string.IsNullOrWhiteSpace(reason))
            {
                return true;
            }

            if (ContractSymbols.Find(current, symbols.SecurityDowngradeJustified) is { ConstructorArguments.Length: 1 } own
                && own.ConstructorArguments[0].Value is string ownReason && !string.IsNullOrWhiteSpace(ownReason))
            {
                return true;
            }
        }

        return false;
    }
}
