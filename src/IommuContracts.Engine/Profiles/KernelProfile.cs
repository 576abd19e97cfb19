namespace IommuContracts.Engine.Profiles;

/// <summary>
/// Which kernel a <see cref="Host.SimulatedKernel"/> answers as. The dispatch and the handlers ask the profile
/// whether a <see cref="KernelFeature"/> exists instead of testing versions: a command the profile lacks is a hole
/// in the command table, a selftest op is EOPNOTSUPP, flag bits are unknown, and named behaviour changes fall back
/// to what the older kernel did. <see cref="Newest"/> is the default.
/// </summary>
/// <example>
/// A VMM tested on the kernels its users run:
/// <code>
/// var kernel = new SimulatedKernel(KernelProfile.Linux612);
/// var vmm = new SimulatedProcess(kernel);
/// </code>
/// </example>
public sealed class KernelProfile
{
    private readonly HashSet<KernelFeature> _added;
    private readonly HashSet<KernelFeature> _removed;

    private KernelProfile(string name, KernelVersion version, HashSet<KernelFeature> added, HashSet<KernelFeature> removed)
    {
        Name = name;
        Version = version;
        _added = added;
        _removed = removed;
    }

    /// <summary>The newest kernel the engine models (every feature of <see cref="KernelFeatures"/>).</summary>
    public static KernelProfile Newest { get; } = new("newest", KernelVersion.Newest, [], []);

    /// <summary>Linux 6.12 (checked against 6.12.118, Debian's linux-source-6.12): the command table ends at FAULT_QUEUE_ALLOC (0x8E).</summary>
    public static KernelProfile Linux612 { get; } = new("linux-6.12", KernelVersion.Linux612, [], []);

    /// <summary>The profiles the engine offers by name.</summary>
    public static IReadOnlyList<KernelProfile> Known { get; } = [Newest, Linux612];

    /// <summary>A short name: "newest", "linux-6.12", or the name given to a variant.</summary>
    public string Name { get; }

    /// <summary>The release whose features this profile has (apart from the variant's additions and removals).</summary>
    public KernelVersion Version { get; }

    /// <summary>The profile named <paramref name="name"/> ("newest", "linux-6.12" or "6.12"), or null.</summary>
    public static KernelProfile? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Known.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(p.Version.ToString(), name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True when the kernel this profile stands for has <paramref name="feature"/>.</summary>
    public bool Supports(KernelFeature feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        return !_removed.Contains(feature) && (feature.Since <= Version || _added.Contains(feature));
    }

    /// <summary>
    /// The bits of <paramref name="known"/> this kernel accepts in <paramref name="flagSet"/>: every bit minus those of
    /// the set's flag features it lacks. Bits no feature declares are left as they are.
    /// </summary>
    public ulong AcceptedFlags(string flagSet, ulong known)
    {
        foreach (var feature in KernelFeatures.All)
        {
            if (feature.Kind == KernelFeatureKind.Flags && feature.FlagSet == flagSet && !Supports(feature))
            {
                known &= ~feature.Bits;
            }
        }

        return known;
    }

    /// <summary>
    /// True when this kernel's iommufd command table has an entry at <c>_IOC_NR</c> <paramref name="number"/>; a slot
    /// no modelled kernel uses counts as present (the dispatch table decides what it is).
    /// </summary>
    public bool HasCommandSlot(byte number) => KernelFeatures.CommandAt(number) is not { } command || Supports(command);

    /// <summary>A what-if variant of this profile without <paramref name="feature"/> (e.g. to see how a VMM copes without it).</summary>
    public KernelProfile Without(KernelFeature feature, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var added = new HashSet<KernelFeature>(_added);
        var removed = new HashSet<KernelFeature>(_removed) { feature };
        added.Remove(feature);
        return new(name ?? $"{Name}-without-{feature.Name}", Version, added, removed);
    }

    /// <summary>A what-if variant of this profile with <paramref name="feature"/> although its release is older.</summary>
    public KernelProfile With(KernelFeature feature, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var added = new HashSet<KernelFeature>(_added) { feature };
        var removed = new HashSet<KernelFeature>(_removed);
        removed.Remove(feature);
        return new(name ?? $"{Name}-with-{feature.Name}", Version, added, removed);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
