using System.Collections.Immutable;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Rules;

/// <summary>IOMMU0009: a call that binds devices to iommufd from a type that does not declare [DriverManagedDma] (the kernel answers EPERM).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DriverManagedDmaAnalyzer : ContractAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ContractDiagnostics.InternalError, ContractDiagnostics.MissingDriverManagedDma);

    private protected override void Register(CompilationStartAnalysisContext start, ContractSymbols symbols)
    {
        if (symbols.RequiresDriverManagedDma is null)
        {
            return;
        }

        start.RegisterOperationAction(Guarded(operation =>
        {
            var invocation = (IInvocationOperation)operation.Operation;
            if (!ContractSymbols.Has(invocation.TargetMethod, symbols.RequiresDriverManagedDma)
                || operation.ContainingSymbol.ContainingType is not { } caller || Declares(caller, symbols))
            {
                return;
            }

            operation.ReportDiagnostic(Diagnostic.Create(ContractDiagnostics.MissingDriverManagedDma, invocation.Syntax.GetLocation(), caller.Name));
        }), OperationKind.Invocation);
    }

    // The attribute is inherited, and a nested helper type belongs to its driver.
    private static bool Declares(INamedTypeSymbol type, ContractSymbols symbols)
    {
        for (INamedTypeSymbol? outer = type; outer is not null; outer = outer.ContainingType)
        {
            for (INamedTypeSymbol? current = outer; current is not null; current = current.BaseType)
            {
                if (ContractSymbols.Has(current, symbols.DriverManagedDma))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
