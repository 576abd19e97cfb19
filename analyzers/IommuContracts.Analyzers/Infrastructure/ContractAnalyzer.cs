using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Analyzers.Infrastructure;

/// <summary>
/// The shared start of every contract analyzer: concurrent, generated code skipped, and nothing registered
/// when the compilation cannot see the contract attributes.
/// </summary>
public abstract class ContractAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (ContractSymbols.TryCreate(start.Compilation) is { } symbols)
            {
                Register(start, symbols);
            }
        });
    }

    /// <summary>An action that turns its own failure into IOMMU0000 at the member being analysed (never AD0001).</summary>
    private protected static System.Action<OperationAnalysisContext> Guarded(System.Action<OperationAnalysisContext> action)
        => context =>
        {
            try
            {
                action(context);
            }
            catch (System.Exception exception) when (exception is not System.OperationCanceledException)
            {
                context.ReportDiagnostic(AnalyzerGuard.InternalError(context.ContainingSymbol, exception));
            }
        };

    /// <summary>The same for the end of a symbol's analysis.</summary>
    private protected static System.Action<SymbolAnalysisContext> GuardedEnd(System.Action<SymbolAnalysisContext> action)
        => context =>
        {
            try
            {
                action(context);
            }
            catch (System.Exception exception) when (exception is not System.OperationCanceledException)
            {
                context.ReportDiagnostic(AnalyzerGuard.InternalError(context.Symbol, exception));
            }
        };

    /// <summary>Registers the analyzer's actions for one compilation that references IommuContracts.</summary>
    private protected abstract void Register(CompilationStartAnalysisContext context, ContractSymbols symbols);
}
