using System.Globalization;

namespace IommuContracts.Engine.Profiles;

/// <summary>
/// A Linux release (major.minor) that kernel behaviour is keyed by. <see cref="Newest"/> stands for the newest
/// kernel the engine models: it is later than every numbered release.
/// </summary>
public readonly record struct KernelVersion(int Major, int Minor) : IComparable<KernelVersion>
{
    /// <summary>The newest behaviour the engine models (torvalds/linux as read for the spec): after every numbered release.</summary>
    public static KernelVersion Newest { get; } = new(int.MaxValue, 0);

    /// <summary>Linux 6.12, the longterm release Debian 12 ships as linux-source-6.12.</summary>
    public static KernelVersion Linux612 { get; } = new(6, 12);

    /// <summary>Release order: major first, then minor.</summary>
    public int CompareTo(KernelVersion other)
        => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    /// <summary>True when <paramref name="left"/> is an earlier release than <paramref name="right"/>.</summary>
    public static bool operator <(KernelVersion left, KernelVersion right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> is a later release than <paramref name="right"/>.</summary>
    public static bool operator >(KernelVersion left, KernelVersion right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> is the same or an earlier release.</summary>
    public static bool operator <=(KernelVersion left, KernelVersion right) => left.CompareTo(right) <= 0;

    /// <summary>True when <paramref name="left"/> is the same or a later release.</summary>
    public static bool operator >=(KernelVersion left, KernelVersion right) => left.CompareTo(right) >= 0;

    /// <summary>"6.12", or "newest".</summary>
    public override string ToString()
        => this == Newest ? "newest" : string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
