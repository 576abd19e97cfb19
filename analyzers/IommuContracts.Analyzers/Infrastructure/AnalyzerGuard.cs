using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Infrastructure;

/// <summary>Turns an analyzer bug into IOMMU0000 at the member instead of an AD0001 that hides every other result.</summary>
internal static class AnalyzerGuard
{
    public static Diagnostic InternalError(ISymbol member, Exception exception)
        => Diagnostic.Create(ContractDiagnostics.InternalError, member.Locations.FirstOrDefault() ?? Location.None,
            member.Name, exception.GetType().Name + ": " + exception.Message);

    /// <summary>Whether the member opted out with [SuppressContractAnalysis("reason")] (an empty reason does not count).</summary>
    public static bool IsSuppressed(ISymbol member, ContractSymbols symbols)
    {
        for (var current = member; current is not null; current = current.ContainingSymbol)
        {
            if (ContractSymbols.Find(current, symbols.SuppressContractAnalysis) is { ConstructorArguments.Length: 1 } attribute
                && attribute.ConstructorArguments[0].Value is string reason && !string.IsNullOrWhiteSpace(reason))
            {
                return true;
            }

            if (current is INamedTypeSymbol)
            {
                break;
            }
        }

        return false;
    }
}
