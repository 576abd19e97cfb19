using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Rules;

/// <summary>
/// IOMMU0003 for a [MustCheck] call whose Errno is thrown away: a bare call statement, or a local that stores
/// it and is never read. An explicit discard (<c>_ = Call()</c>) says the caller chose to ignore it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UncheckedResultAnalyzer : ContractAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ContractDiagnostics.InternalError, ContractDiagnostics.UncheckedResult);

    private protected override void Register(CompilationStartAnalysisContext start, ContractSymbols symbols)
    {
        start.RegisterOperationAction(Guarded(operation => Check((IInvocationOperation)operation.Operation, symbols, operation.ReportDiagnostic)), OperationKind.Invocation);
    }

    private static void Check(IInvocationOperation invocation, ContractSymbols symbols, System.Action<Diagnostic> report)
    {
        if (symbols.ContractOf(invocation.TargetMethod) is not { MustCheck: true })
        {
            return;
        }

        var name = invocation.TargetMethod.Name;
        var parent = invocation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        switch (parent)
        {
            case IExpressionStatementOperation:
                report(Diagnostic.Create(ContractDiagnostics.UncheckedResult, invocation.Syntax.GetLocation(), $"The Errno '{name}' returns is discarded"));
                break;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when !LocalReads.ReadAfter(declarator.Symbol, invocation):
                report(Diagnostic.Create(ContractDiagnostics.UncheckedResult, invocation.Syntax.GetLocation(), $"The Errno '{name}' returns is stored in '{declarator.Symbol.Name}' and never read"));
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } when !LocalReads.ReadAfter(target.Local, invocation):
                report(Diagnostic.Create(ContractDiagnostics.UncheckedResult, invocation.Syntax.GetLocation(), $"The Errno '{name}' returns is stored in '{target.Local.Name}' and never read"));
                break;
        }
    }
}
