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
    /// <summary>
    /// Diagnostic property saying what became of the Errno: <see cref="Discarded"/> (a bare call statement) or
    /// <see cref="Stored"/> (a local never read). The code fix acts only on diagnostics that carry it.
    /// </summary>
    public const string ResultProperty = "Result";

    /// <summary><see cref="ResultProperty"/> of a call whose Errno is thrown away.</summary>
    public const string Discarded = "discarded";

    /// <summary><see cref="ResultProperty"/> of a call whose Errno is stored in a local that is never read.</summary>
    public const string Stored = "stored";

    private static readonly ImmutableDictionary<string, string?> DiscardedProperties = ImmutableDictionary<string, string?>.Empty.Add(ResultProperty, Discarded);
    private static readonly ImmutableDictionary<string, string?> StoredProperties = ImmutableDictionary<string, string?>.Empty.Add(ResultProperty, Stored);

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
                report(Diagnostic.Create(ContractDiagnostics.UncheckedResult, invocation.Syntax.GetLocation(), DiscardedProperties, $"The Errno '{name}' returns is discarded"));
                break;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when !LocalReads.ReadAfter(declarator.Symbol, invocation):
                report(Diagnostic.Create(ContractDiagnostics.UncheckedResult, invocation.Syntax.GetLocation(), StoredProperties, $"The Errno '{name}' returns is stored in '{declarator.Symbol.Name}' and never read"));
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } when !LocalReads.ReadAfter(target.Local, invocation):
                report(Diagnostic.Create(ContractDiagnostics.UncheckedResult, invocation.Syntax.GetLocation(), StoredProperties, $"The Errno '{name}' returns is stored in '{target.Local.Name}' and never read"));
                break;
        }
    }
}
