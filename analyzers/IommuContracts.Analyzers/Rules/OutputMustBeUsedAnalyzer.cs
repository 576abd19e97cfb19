using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Rules;

/// <summary>
/// IOMMU0015 / IOMMU0102: an out or ref argument marked [OutputMustBeUsed] (the pt_id an attach returns, the
/// length IOAS_UNMAP returns) that is discarded or never read after the call.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OutputMustBeUsedAnalyzer : ContractAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(ContractDiagnostics.InternalError, ContractDiagnostics.PtIdIgnored, ContractDiagnostics.UnmapLengthIgnored);

    private protected override void Register(CompilationStartAnalysisContext start, ContractSymbols symbols)
    {
        if (symbols.OutputMustBeUsed is null)
        {
            return;
        }

        start.RegisterOperationAction(Guarded(operation => Check((IInvocationOperation)operation.Operation, symbols, operation.ReportDiagnostic)), OperationKind.Invocation);
    }

    private static void Check(IInvocationOperation invocation, ContractSymbols symbols, System.Action<Diagnostic> report)
    {
        if (symbols.ContractOf(invocation.TargetMethod) is not { } contract || contract.OutputRules.All(r => r is null))
        {
            return;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter || parameter.Ordinal >= contract.OutputRules.Length
                || contract.OutputRules[parameter.Ordinal] is not { } rule || Descriptor(rule) is not { } descriptor)
            {
                continue;
            }

            var value = argument.Value is IConversionOperation conversion ? conversion.Operand : argument.Value;
            var unread = value switch
            {
                IDiscardOperation => "_",
                IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared } when !LocalReads.ReadAfter(declared.Local, invocation) => declared.Local.Name,
                ILocalReferenceOperation local when !LocalReads.ReadAfter(local.Local, invocation) => local.Local.Name,
                _ => null,
            };
            if (unread is not null)
            {
                report(Diagnostic.Create(descriptor, argument.Syntax.GetLocation(), unread));
            }
        }
    }

    private static DiagnosticDescriptor? Descriptor(string rule)
        => rule == ContractDiagnostics.PtIdIgnored.Id ? ContractDiagnostics.PtIdIgnored
            : rule == ContractDiagnostics.UnmapLengthIgnored.Id ? ContractDiagnostics.UnmapLengthIgnored
            : null;
}
