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

    /// <summary>Registers the analyzer's actions for one compilation that references IommuContracts.</summary>
    private protected abstract void Register(CompilationStartAnalysisContext context, ContractSymbols symbols);
}
