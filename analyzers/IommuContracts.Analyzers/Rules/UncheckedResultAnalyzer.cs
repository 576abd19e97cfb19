using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Rules;

/// <summary>
/// IOMMU0003 for a [MustCheck] call whose Errno is thrown away: a bare call statement, or a local that stores
/// it and is never read. An explicit discard (<c>_ = Call()</c>) says the caller chose to ignore it. The
/// typestate analysis reports the other IOMMU0003 case (an output used before the result was checked) and leaves
/// the calls reported here alone, so each call gets one report.
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

    /// <summary>What to do, for a call with out or ref outputs.</summary>
    internal const string AdviceWithOutputs = "check the Errno it returns (return it on failure) before using its outputs";

    /// <summary>What to do, for a call without outputs.</summary>
    internal const string AdviceWithoutOutputs = "check the Errno it returns and act on a failure (return it, or handle it)";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ContractDiagnostics.InternalError, ContractDiagnostics.UncheckedResult);

    private protected override void Register(CompilationStartAnalysisContext start, ContractSymbols symbols)
    {
        start.RegisterOperationAction(Guarded(operation => Check((IInvocationOperation)operation.Operation, symbols, operation.ReportDiagnostic)), OperationKind.Invocation);
    }

    /// <summary>Whether this rule reports the call (its Errno is discarded, or stored and never read).</summary>
    internal static bool IsReported(IInvocationOperation invocation, ContractSymbols symbols)
        => symbols.ContractOf(invocation.TargetMethod) is { MustCheck: true } && Ignored(invocation) is not null;

    private static void Check(IInvocationOperation invocation, ContractSymbols symbols, System.Action<Diagnostic> report)
    {
        if (symbols.ContractOf(invocation.TargetMethod) is not { MustCheck: true } || Ignored(invocation) is not { } how)
        {
            return;
        }

        var advice = invocation.TargetMethod.Parameters.Any(p => p.RefKind is RefKind.Out or RefKind.Ref) ? AdviceWithOutputs : AdviceWithoutOutputs;
        var properties = how == "is discarded" ? DiscardedProperties : StoredProperties;
        report(Diagnostic.Create(ContractDiagnostics.UncheckedResult, invocation.Syntax.GetLocation(), properties, $"The Errno '{invocation.TargetMethod.Name}' returns {how}", advice));
    }

    // "is discarded", "is stored in 'rc' and never read", or null when the result is used.
    private static string? Ignored(IInvocationOperation invocation)
    {
        var parent = invocation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent switch
        {
            IExpressionStatementOperation => "is discarded",
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when !LocalReads.ReadAfter(declarator.Symbol, invocation)
                => $"is stored in '{declarator.Symbol.Name}' and never read",
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } when !LocalReads.ReadAfter(target.Local, invocation)
                => $"is stored in '{target.Local.Name}' and never read",
            _ => null,
        };
    }
}
