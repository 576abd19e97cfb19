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
public sealed class OutputMustBeUsedAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(ContractDiagnostics.PtIdIgnored, ContractDiagnostics.UnmapLengthIgnored);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (ContractSymbols.TryCreate(start.Compilation) is not { } symbols || symbols.OutputMustBeUsed is null)
            {
                return;
            }

            start.RegisterOperationAction(operation => Check((IInvocationOperation)operation.Operation, symbols, operation.ReportDiagnostic), OperationKind.Invocation);
        });
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
                IDeclarationExpressionOperation { Expression: ILocalReferenceOperation declared } when !ReadAfter(declared.Local, invocation) => declared.Local.Name,
                ILocalReferenceOperation local when !ReadAfter(local.Local, invocation) => local.Local.Name,
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

    private static bool ReadAfter(ILocalSymbol local, IOperation call)
    {
        var root = call;
        while (root.Parent is { } up)
        {
            root = up;
        }

        return root.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(reference =>
            SymbolEqualityComparer.Default.Equals(reference.Local, local)
            && !reference.IsDeclaration
            && !call.Syntax.Span.Contains(reference.Syntax.Span)
            && !(reference.Parent is ISimpleAssignmentOperation assignment && ReferenceEquals(assignment.Target, reference))
            && (reference.Syntax.SpanStart > call.Syntax.Span.End || InLoopAround(reference, call)));
    }

    private static bool InLoopAround(IOperation reference, IOperation call)
    {
        for (var parent = call.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ILoopOperation loop)
            {
                return loop.Syntax.Span.Contains(reference.Syntax.Span);
            }
        }

        return false;
    }
}
