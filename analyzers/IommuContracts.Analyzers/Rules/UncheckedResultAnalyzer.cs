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
public sealed class UncheckedResultAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ContractDiagnostics.UncheckedResult);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (ContractSymbols.TryCreate(start.Compilation) is not { } symbols)
            {
                return;
            }

            start.RegisterOperationAction(operation => Check((IInvocationOperation)operation.Operation, symbols, operation.ReportDiagnostic), OperationKind.Invocation);
        });
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
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when !IsRead(declarator.Symbol, invocation):
                report(Diagnostic.Create(ContractDiagnostics.UncheckedResult, invocation.Syntax.GetLocation(), $"The Errno '{name}' returns is stored in '{declarator.Symbol.Name}' and never read"));
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } when !IsRead(target.Local, invocation):
                report(Diagnostic.Create(ContractDiagnostics.UncheckedResult, invocation.Syntax.GetLocation(), $"The Errno '{name}' returns is stored in '{target.Local.Name}' and never read"));
                break;
        }
    }

    // Any read of the local after the call (or anywhere in a loop around it) counts as a check.
    private static bool IsRead(ILocalSymbol local, IOperation call)
    {
        var root = call;
        while (root.Parent is { } up)
        {
            root = up;
        }

        return root.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(reference =>
            SymbolEqualityComparer.Default.Equals(reference.Local, local)
            && !reference.IsDeclaration
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
