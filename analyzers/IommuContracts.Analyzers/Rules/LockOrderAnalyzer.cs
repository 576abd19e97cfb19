using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Rules;

/// <summary>
/// IOMMU0011: a lock with a [LockLevel] taken inside one of a higher level (the documented order is context
/// table, IOAS, group, io_pagetable, pages); IOMMU0012: a call marked [ExcludesLock("name")] made while
/// holding that lock. Checked within a body, as Clang's thread-safety analysis does.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LockOrderAnalyzer : ContractAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(ContractDiagnostics.InternalError, ContractDiagnostics.LockOrderInversion, ContractDiagnostics.CallUnderExcludedLock);

    private protected override void Register(CompilationStartAnalysisContext start, ContractSymbols symbols)
    {
        if (symbols.LockLevel is null)
        {
            return;
        }

        start.RegisterOperationAction(Guarded(operation => CheckLock((ILockOperation)operation.Operation, symbols, operation.ReportDiagnostic)), OperationKind.Lock);
        start.RegisterOperationAction(Guarded(operation => CheckCall((IInvocationOperation)operation.Operation, symbols, operation.ReportDiagnostic)), OperationKind.Invocation);
    }

    private static void CheckLock(ILockOperation lockOperation, ContractSymbols symbols, System.Action<Diagnostic> report)
    {
        if (LevelOf(lockOperation, symbols) is not { } taken)
        {
            return;
        }

        foreach (var held in HeldLocks(lockOperation, symbols))
        {
            if (taken.Order < held.Order)
            {
                report(Diagnostic.Create(ContractDiagnostics.LockOrderInversion, lockOperation.LockedValue.Syntax.GetLocation(), taken.Name, taken.Order, held.Name, held.Order));
                return;
            }
        }
    }

    private static void CheckCall(IInvocationOperation invocation, ContractSymbols symbols, System.Action<Diagnostic> report)
    {
        if (symbols.ContractOf(invocation.TargetMethod) is not { ExcludedLocks.IsEmpty: false } contract)
        {
            return;
        }

        foreach (var held in HeldLocks(invocation, symbols))
        {
            if (contract.ExcludedLocks.Contains(held.Name))
            {
                report(Diagnostic.Create(ContractDiagnostics.CallUnderExcludedLock, invocation.Syntax.GetLocation(), invocation.TargetMethod.Name, held.Name));
                return;
            }
        }
    }

    // The leveled locks held around an operation, innermost first, up to the enclosing lambda or local function.
    private static System.Collections.Generic.IEnumerable<(string Name, int Order)> HeldLocks(IOperation operation, ContractSymbols symbols)
    {
        for (var parent = operation.Parent; parent is not null and not IAnonymousFunctionOperation and not ILocalFunctionOperation; parent = parent.Parent)
        {
            if (parent is ILockOperation held && !ReferenceEquals(held.LockedValue, operation) && !IsInside(operation, held.LockedValue)
                && LevelOf(held, symbols) is { } level)
            {
                yield return level;
            }
        }
    }

    private static bool IsInside(IOperation operation, IOperation container)
        => container.Syntax.Span.Contains(operation.Syntax.Span);

    private static (string Name, int Order)? LevelOf(ILockOperation lockOperation, ContractSymbols symbols)
    {
        ISymbol? member = lockOperation.LockedValue is IConversionOperation conversion ? Member(conversion.Operand) : Member(lockOperation.LockedValue);
        if (member is null || ContractSymbols.Find(member, symbols.LockLevel) is not { ConstructorArguments.Length: 2 } attribute)
        {
            return null;
        }

        return (attribute.ConstructorArguments[0].Value as string ?? string.Empty, attribute.ConstructorArguments[1].Value is int order ? order : 0);
    }

    private static ISymbol? Member(IOperation operation) => operation switch
    {
        IFieldReferenceOperation field => field.Field,
        IPropertyReferenceOperation property => property.Property,
        _ => null,
    };
}
