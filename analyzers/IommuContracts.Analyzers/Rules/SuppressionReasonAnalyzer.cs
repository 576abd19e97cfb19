using System.Collections.Immutable;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IommuContracts.Analyzers.Rules;

/// <summary>
/// IOMMU0018: [SuppressContractAnalysis] whose reason is null, empty or white space. The reason is required by
/// design: such an attribute does not opt the member out (<see cref="AnalyzerGuard.IsSuppressed"/>), which the author
/// surely meant it to, so the attribute says nothing true either way.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class SuppressionReasonAnalyzer : ContractAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ContractDiagnostics.InternalError, ContractDiagnostics.SuppressionWithoutReason);

    private protected override void Register(CompilationStartAnalysisContext start, ContractSymbols symbols)
    {
        if (symbols.SuppressContractAnalysis is not { } suppress)
        {
            return;
        }

        start.RegisterSymbolAction(GuardedEnd(context =>
        {
            foreach (var attribute in context.Symbol.GetAttributes())
            {
                if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, suppress)
                    || (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string reason && !string.IsNullOrWhiteSpace(reason)))
                {
                    continue;
                }

                var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken);
                var location = syntax is AttributeSyntax { ArgumentList.Arguments.Count: > 0 } withReason
                    ? withReason.ArgumentList.Arguments[0].GetLocation()
                    : syntax?.GetLocation() ?? context.Symbol.Locations[0];
                context.ReportDiagnostic(Diagnostic.Create(ContractDiagnostics.SuppressionWithoutReason, location, context.Symbol.Name));
            }
        }), SymbolKind.Method);
    }
}
