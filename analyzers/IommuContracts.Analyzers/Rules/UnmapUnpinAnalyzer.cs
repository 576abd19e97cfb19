using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Rules;

/// <summary>
/// IOMMU0014: a type whose access pins pages ([Pins]) implements the access ops' unmap callback
/// ([MustUnpinInUnmap]) without ever unpinning ([Unpins]) in it, directly or through its own methods; user
/// space's IOAS_UNMAP then fails with EDEADLOCK.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnmapUnpinAnalyzer : ContractAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ContractDiagnostics.InternalError, ContractDiagnostics.UnmapDoesNotUnpin);

    private protected override void Register(CompilationStartAnalysisContext start, ContractSymbols symbols)
    {
        if (symbols.MustUnpinInUnmap is null)
        {
            return;
        }

        start.RegisterSymbolStartAction(typeStart => StartType(typeStart, symbols), SymbolKind.NamedType);
    }

    private static void StartType(SymbolStartAnalysisContext context, ContractSymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var callbacks = type.AllInterfaces
            .SelectMany(i => i.GetMembers().OfType<IMethodSymbol>())
            .Where(m => ContractSymbols.Has(m, symbols.MustUnpinInUnmap))
            .Select(m => type.FindImplementationForInterfaceMember(m) as IMethodSymbol)
            .Where(m => m is not null && SymbolEqualityComparer.Default.Equals(m.ContainingType, type))
            .ToList();
        if (callbacks.Count == 0)
        {
            return;
        }

        var pins = 0;
        var unpinners = new ConcurrentDictionary<IMethodSymbol, byte>(SymbolEqualityComparer.Default);
        var calls = new ConcurrentDictionary<IMethodSymbol, ConcurrentBag<IMethodSymbol>>(SymbolEqualityComparer.Default);
        context.RegisterOperationAction(Guarded(operation =>
        {
            var invocation = (IInvocationOperation)operation.Operation;
            var caller = operation.ContainingSymbol as IMethodSymbol;
            var target = invocation.TargetMethod.OriginalDefinition;
            if (ContractSymbols.Has(target, symbols.Pins))
            {
                System.Threading.Interlocked.Increment(ref pins);
            }

            if (caller is null)
            {
                return;
            }

            if (ContractSymbols.Has(target, symbols.Unpins))
            {
                unpinners.TryAdd(caller, 0);
            }
            else if (SymbolEqualityComparer.Default.Equals(target.ContainingType, type))
            {
                calls.GetOrAdd(caller, _ => new ConcurrentBag<IMethodSymbol>()).Add(target);
            }
        }), OperationKind.Invocation);

        context.RegisterSymbolEndAction(GuardedEnd(end =>
        {
            if (pins == 0)
            {
                return;
            }

            foreach (var callback in callbacks)
            {
                if (!ReachesUnpin(callback!, unpinners, calls) && callback!.Locations.FirstOrDefault() is { } location)
                {
                    end.ReportDiagnostic(Diagnostic.Create(ContractDiagnostics.UnmapDoesNotUnpin, location, type.Name, callback.Name));
                }
            }
        }));
    }

    private static bool ReachesUnpin(IMethodSymbol start, ConcurrentDictionary<IMethodSymbol, byte> unpinners, ConcurrentDictionary<IMethodSymbol, ConcurrentBag<IMethodSymbol>> calls)
    {
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<IMethodSymbol>();
        pending.Push(start);
        while (pending.Count > 0)
        {
            var method = pending.Pop();
            if (!seen.Add(method))
            {
                continue;
            }

            if (unpinners.ContainsKey(method))
            {
                return true;
            }

            if (calls.TryGetValue(method, out var callees))
            {
                foreach (var callee in callees)
                {
                    pending.Push(callee);
                }
            }
        }

        return false;
    }
}
