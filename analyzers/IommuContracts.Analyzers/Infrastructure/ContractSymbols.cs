using System.Linq;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Infrastructure;

/// <summary>
/// The contract attribute types of one compilation, resolved once; absent (null) when the compilation does
/// not reference IommuContracts, in which case no analyzer registers anything. Also caches what each
/// annotated method and handle type declares.
/// </summary>
internal sealed class ContractSymbols
{
    private const string Contracts = "IommuContracts.Contracts.";

    private readonly SymbolCache<ITypeSymbol, HandleType?> _handleTypes = new();
    private readonly SymbolCache<IMethodSymbol, MethodContract?> _methods = new();
    private readonly SymbolCache<INamedTypeSymbol, bool> _annotatedApis = new();
    private readonly SymbolCache<IMethodSymbol, bool> _rawIoctls = new();
    private readonly SymbolCache<IAssemblySymbol, bool> _assembliesSeeingContracts = new();
    private readonly IAssemblySymbol _compilationAssembly;

    private ContractSymbols(Compilation compilation)
    {
        _compilationAssembly = compilation.Assembly;
        Typestate = Get(compilation, "TypestateAttribute")!;
        Acquires = Get(compilation, "AcquiresAttribute");
        RequiresState = Get(compilation, "RequiresStateAttribute");
        TransitionsTo = Get(compilation, "TransitionsToAttribute");
        Releases = Get(compilation, "ReleasesAttribute");
        TakesOwnership = Get(compilation, "TakesOwnershipAttribute");
        StateQuery = Get(compilation, "StateQueryAttribute");
        StateKey = Get(compilation, "StateKeyAttribute");
        MustCheck = Get(compilation, "MustCheckAttribute");
        OutputMustBeUsed = Get(compilation, "OutputMustBeUsedAttribute");
        SecurityDowngrade = Get(compilation, "SecurityDowngradeAttribute");
        SecurityDowngradeJustified = Get(compilation, "SecurityDowngradeJustifiedAttribute");
        DriverManagedDma = Get(compilation, "DriverManagedDmaAttribute");
        RequiresDriverManagedDma = Get(compilation, "RequiresDriverManagedDmaAttribute");
        LockLevel = Get(compilation, "LockLevelAttribute");
        ExcludesLock = Get(compilation, "ExcludesLockAttribute");
        MustUnpinInUnmap = Get(compilation, "MustUnpinInUnmapAttribute");
        Unpins = Get(compilation, "UnpinsAttribute");
        Pins = Get(compilation, "PinsAttribute");
        RawIoctl = Get(compilation, "RawIoctlAttribute");
        IovaRanges = Get(compilation, "IovaRangesAttribute");
        SuppressContractAnalysis = Get(compilation, "SuppressContractAnalysisAttribute");
        TypedObjectId = Get(compilation, "TypedObjectIdAttribute");
        IoctlCommand = Get(compilation, "IoctlCommandAttribute");
        Errno = compilation.GetTypeByMetadataName("IommuContracts.Errno");
    }

    public INamedTypeSymbol Typestate { get; }

    public INamedTypeSymbol? Acquires { get; }

    public INamedTypeSymbol? RequiresState { get; }

    public INamedTypeSymbol? TransitionsTo { get; }

    public INamedTypeSymbol? Releases { get; }

    public INamedTypeSymbol? TakesOwnership { get; }

    public INamedTypeSymbol? StateQuery { get; }

    public INamedTypeSymbol? StateKey { get; }

    public INamedTypeSymbol? MustCheck { get; }

    public INamedTypeSymbol? OutputMustBeUsed { get; }

    public INamedTypeSymbol? SecurityDowngrade { get; }

    public INamedTypeSymbol? SecurityDowngradeJustified { get; }

    public INamedTypeSymbol? DriverManagedDma { get; }

    public INamedTypeSymbol? RequiresDriverManagedDma { get; }

    public INamedTypeSymbol? LockLevel { get; }

    public INamedTypeSymbol? ExcludesLock { get; }

    public INamedTypeSymbol? MustUnpinInUnmap { get; }

    public INamedTypeSymbol? Unpins { get; }

    public INamedTypeSymbol? Pins { get; }

    public INamedTypeSymbol? RawIoctl { get; }

    public INamedTypeSymbol? IovaRanges { get; }

    public INamedTypeSymbol? SuppressContractAnalysis { get; }

    public INamedTypeSymbol? TypedObjectId { get; }

    public INamedTypeSymbol? IoctlCommand { get; }

    public INamedTypeSymbol? Errno { get; }

    /// <summary>The contract symbols, or null when the compilation cannot see the contract attributes.</summary>
    public static ContractSymbols? TryCreate(Compilation compilation)
        => compilation.GetTypeByMetadataName(Contracts + "TypestateAttribute") is null ? null : new ContractSymbols(compilation);

    public static bool Is(AttributeData attribute, INamedTypeSymbol? type)
        => type is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, type);

    public static AttributeData? Find(ISymbol symbol, INamedTypeSymbol? type)
        => type is null ? null : symbol.GetAttributes().FirstOrDefault(a => Is(a, type));

    public static bool Has(ISymbol symbol, INamedTypeSymbol? type) => Find(symbol, type) is not null;

    /// <summary>The typestate declared on <paramref name="type"/> (or a base type / interface), or null.</summary>
    /// <remarks>
    /// Asked for the type of nearly every operation of every body: the built-in types (int, bool, string, Errno's
    /// underlying values), arrays and pointers are never handles and skip the cache, and a cached answer is read
    /// without a delegate. A constructed generic type (a List, a Func, a tuple: thousands of distinct ones in a large
    /// compilation) has its definition's attributes, base types and interfaces, only substituted, so it is read only
    /// when its definition is a handle type.
    /// </remarks>
    public HandleType? HandleTypeOf(ITypeSymbol? type)
    {
        if (type is null || type.SpecialType != SpecialType.None
            || type.TypeKind is TypeKind.Array or TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Dynamic
            || (type is INamedTypeSymbol { IsDefinition: false } constructed && HandleTypeOf(constructed.OriginalDefinition) is null))
        {
            return null;
        }

        return _handleTypes.GetOrAdd(type, static (t, self) => HandleType.Read(t, self), this);
    }

    /// <summary>What <paramref name="method"/> declares (null when nothing).</summary>
    /// <remarks>
    /// A contract is read from the method's own attributes only, so a method of an assembly that does not reference the
    /// contract attributes (the framework's, every package's) declares none: it is not read, nor cached.
    /// </remarks>
    public MethodContract? ContractOf(IMethodSymbol method)
    {
        var definition = method.OriginalDefinition;
        if (_methods.TryGetValue(definition, out var known))
        {
            return known;
        }

        return CanDeclareContracts(definition.ContainingAssembly) ? _methods.GetOrAdd(definition, static (m, self) => MethodContract.Read(m, self), this) : null;
    }

    private bool CanDeclareContracts(IAssemblySymbol? assembly)
    {
        if (assembly is null || SymbolEqualityComparer.Default.Equals(assembly, _compilationAssembly))
        {
            return true;
        }

        return _assembliesSeeingContracts.GetOrAdd(assembly, static (a, contracts) => SymbolEqualityComparer.Default.Equals(a, contracts)
            || a.Modules.Any(m => m.ReferencedAssemblySymbols.Any(r => SymbolEqualityComparer.Default.Equals(r, contracts))), Typestate.ContainingAssembly);
    }

    /// <summary>
    /// Whether <paramref name="type"/> is an annotated API (some method declares a contract): its other methods
    /// keep no handle they are not declared to take.
    /// </summary>
    public bool IsAnnotatedApi(INamedTypeSymbol? type)
        => type is not null && _annotatedApis.GetOrAdd(type, static (t, self) => t.GetMembers().OfType<IMethodSymbol>().Any(m => self.ContractOf(m) is not null), this);

    /// <summary>Whether <paramref name="method"/> declares a contract (what the typestate analyzer's CFG prefilter looks for).</summary>
    public bool IsAnnotated(IMethodSymbol method) => ContractOf(method) is not null;

    /// <summary>
    /// Whether <paramref name="method"/> is a [RawIoctl] entry point: declared so, or an override or implementation of
    /// one (<c>SimulatedIoctlFile.Ioctl</c> implements <c>IIoctlFile.Ioctl</c>).
    /// </summary>
    public bool IsRawIoctl(IMethodSymbol method)
        => RawIoctl is not null && _rawIoctls.GetOrAdd(method.OriginalDefinition, static (m, rawIoctl) => DeclaresRawIoctl(m, rawIoctl), RawIoctl);

    private static bool DeclaresRawIoctl(IMethodSymbol method, INamedTypeSymbol rawIoctl)
    {
        for (var current = method; current is not null; current = current.OverriddenMethod)
        {
            if (Has(current, rawIoctl))
            {
                return true;
            }
        }

        if (method.ContainingType is not { } type || method.IsStatic)
        {
            return false;
        }

        foreach (var candidate in method.ExplicitInterfaceImplementations)
        {
            if (Has(candidate, rawIoctl))
            {
                return true;
            }
        }

        foreach (var @interface in type.AllInterfaces)
        {
            foreach (var member in @interface.GetMembers(method.Name))
            {
                if (member is IMethodSymbol declared && Has(declared, rawIoctl)
                    && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(declared), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static INamedTypeSymbol? Get(Compilation compilation, string name) => compilation.GetTypeByMetadataName(Contracts + name);
}
