using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Infrastructure;

/// <summary>Everything the contract attributes of one method declare, read once per compilation.</summary>
internal sealed class MethodContract
{
    private MethodContract(IMethodSymbol method) => Method = method;

    public IMethodSymbol Method { get; }

    public bool MustCheck { get; private set; }

    public bool ReturnsErrno { get; private set; }

    /// <summary>Contract on the receiver (method-level RequiresState / TransitionsTo).</summary>
    public HandleContract? Receiver { get; private set; }

    /// <summary>Handle contracts by parameter ordinal (null where the parameter has none).</summary>
    public ImmutableArray<HandleContract?> Parameters { get; private set; }

    /// <summary>Rules for out / ref parameters whose returned value must be read, by ordinal.</summary>
    public ImmutableArray<string?> OutputRules { get; private set; }

    /// <summary>IovaRangesEffect as an int (0: none).</summary>
    public int IovaRangesEffect { get; private set; }

    public bool RequiresDriverManagedDma { get; private set; }

    /// <summary>The state of the handle the method returns and hands to its caller ([return: Acquires]; -1: none).</summary>
    public int ReturnAcquires { get; private set; } = -1;

    public bool Pins { get; private set; }

    public bool Unpins { get; private set; }

    /// <summary>Locks that must not be held across a call of the method ([ExcludesLock]).</summary>
    public ImmutableArray<string> ExcludedLocks { get; private set; }

    public HandleContract? ParameterContract(IParameterSymbol parameter)
        => parameter.Ordinal < Parameters.Length ? Parameters[parameter.Ordinal] : null;

    public static MethodContract? Read(IMethodSymbol method, ContractSymbols symbols)
    {
        var contract = new MethodContract(method)
        {
            MustCheck = ContractSymbols.Has(method, symbols.MustCheck),
            ReturnsErrno = symbols.Errno is not null && SymbolEqualityComparer.Default.Equals(method.ReturnType, symbols.Errno),
            RequiresDriverManagedDma = ContractSymbols.Has(method, symbols.RequiresDriverManagedDma),
            Pins = ContractSymbols.Has(method, symbols.Pins),
            Unpins = ContractSymbols.Has(method, symbols.Unpins),
        };

        if (ContractSymbols.Find(method, symbols.IovaRanges) is { ConstructorArguments.Length: 1 } ranges && ranges.ConstructorArguments[0].Value is int effect)
        {
            contract.IovaRangesEffect = effect;
        }

        contract.ExcludedLocks = method.GetAttributes()
            .Where(a => ContractSymbols.Is(a, symbols.ExcludesLock) && a.ConstructorArguments.Length == 1)
            .Select(a => a.ConstructorArguments[0].Value as string ?? string.Empty)
            .ToImmutableArray();

        if (method.ContainingType is { } receiverType && !method.IsStatic && symbols.HandleTypeOf(receiverType) is { } receiverHandle)
        {
            var receiver = ReadHandle(method, receiverHandle, symbols);
            contract.Receiver = receiver.IsEmpty ? null : receiver;
        }

        if (symbols.HandleTypeOf(method.ReturnType) is { } returned
            && method.GetReturnTypeAttributes().FirstOrDefault(a => ContractSymbols.Is(a, symbols.Acquires)) is { ConstructorArguments.Length: 1 } acquires)
        {
            contract.ReturnAcquires = returned.IndexOf(acquires.ConstructorArguments[0].Value as string ?? string.Empty);
        }

        var parameters = new List<HandleContract?>();
        var outputs = new List<string?>();
        foreach (var parameter in method.Parameters)
        {
            var handle = symbols.HandleTypeOf(parameter.Type);
            var read = handle is null ? null : ReadHandle(parameter, handle, symbols);
            parameters.Add(read is { IsEmpty: false } ? read : null);
            outputs.Add(ContractSymbols.Find(parameter, symbols.OutputMustBeUsed) is { ConstructorArguments.Length: 1 } used
                ? used.ConstructorArguments[0].Value as string
                : null);
        }

        contract.Parameters = parameters.ToImmutableArray();
        contract.OutputRules = outputs.ToImmutableArray();
        var relevant = contract.MustCheck || contract.Receiver is not null || parameters.Any(p => p is not null)
                       || outputs.Any(o => o is not null) || contract.IovaRangesEffect != 0 || contract.RequiresDriverManagedDma
                       || contract.Pins || contract.Unpins || !contract.ExcludedLocks.IsEmpty || contract.ReturnAcquires >= 0;
        return relevant ? contract : null;
    }

    private static HandleContract ReadHandle(ISymbol symbol, HandleType handle, ContractSymbols symbols)
    {
        var contract = new HandleContract(handle);
        foreach (var attribute in symbol.GetAttributes())
        {
            if (ContractSymbols.Is(attribute, symbols.RequiresState))
            {
                var names = attribute.ConstructorArguments.Length == 1 && !attribute.ConstructorArguments[0].IsNull
                    ? attribute.ConstructorArguments[0].Values.Select(v => v.Value as string ?? string.Empty).ToArray()
                    : System.Array.Empty<string>();
                var rule = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Rule").Value.Value as string ?? handle.UseAfterReleaseRule;
                if (Named(attribute, "Key") is { } keyName)
                {
                    // A requirement on a sub-state whose key parameter is missing is dropped rather than guessed.
                    if (ReadKey(symbol, keyName, symbols) is { } key)
                    {
                        contract.Key = key;
                        contract.KeyRequirements.Add((handle.SetOf(names), rule));
                    }

                    continue;
                }

                contract.Requirements.Add((handle.SetOf(names), rule));
                if (attribute.NamedArguments.Any(a => a.Key == "EveryKey" && a.Value.Value is true))
                {
                    contract.EveryKeyRequirements.Add((handle.SetOf(names), rule));
                }
            }
            else if (ContractSymbols.Is(attribute, symbols.TransitionsTo) && attribute.ConstructorArguments.Length == 1)
            {
                var state = handle.IndexOf(attribute.ConstructorArguments[0].Value as string ?? string.Empty);
                var always = attribute.NamedArguments.Any(a => a.Key == "Always" && a.Value.Value is true);
                if (Named(attribute, "Key") is { } keyName)
                {
                    if (ReadKey(symbol, keyName, symbols) is { } key)
                    {
                        contract.Key = key;
                        contract.KeyTransitionTo = state;
                        contract.KeyTransitionAlways = always;
                    }

                    continue;
                }

                contract.TransitionTo = state;
                contract.TransitionAlways = always;
            }
            else if (ContractSymbols.Is(attribute, symbols.Releases))
            {
                contract.Releases = true;
            }
            else if (ContractSymbols.Is(attribute, symbols.TakesOwnership))
            {
                contract.TakesOwnership = true;
            }
            else if (ContractSymbols.Is(attribute, symbols.Acquires) && attribute.ConstructorArguments.Length == 1)
            {
                contract.Acquires = handle.IndexOf(attribute.ConstructorArguments[0].Value as string ?? string.Empty);
            }
        }

        return contract;
    }

    private static string? Named(AttributeData attribute, string name)
        => attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value as string;

    /// <summary>The [StateKey] parameter <paramref name="name"/> of the method that declares <paramref name="annotated"/> (a parameter or the method).</summary>
    public static KeyParameter? ReadKey(ISymbol annotated, string name, ContractSymbols symbols)
    {
        var method = annotated as IMethodSymbol ?? annotated.ContainingSymbol as IMethodSymbol;
        var parameter = method?.Parameters.FirstOrDefault(p => p.Name == name);
        if (parameter is null || ContractSymbols.Find(parameter, symbols.StateKey) is not { } key)
        {
            return null;
        }

        long? self = key.NamedArguments.FirstOrDefault(a => a.Key == "SelfValue").Value.Value is long value && value >= 0 ? value : null;
        return new KeyParameter(parameter.Ordinal, parameter.Name, self);
    }
}
