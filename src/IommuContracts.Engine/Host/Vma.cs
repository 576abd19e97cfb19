namespace IommuContracts.Engine.Host;

/// <summary>
/// One mapping of the simulated process: [Start, Last] with its protection; anonymous memory, or page
/// <see cref="BackingFirstPage"/> onwards of a <see cref="Backing"/> (a file or device memory).
/// </summary>
internal sealed class Vma
{
    public Vma(ulong start, ulong last, MemoryProtection protection, bool huge, IVmaBacking? backing = null, ulong backingFirstPage = 0, bool shared = false)
    {
        Start = start;
        Last = last;
        Protection = protection;
        Huge = huge;
        Backing = backing;
        BackingFirstPage = backingFirstPage;
        Shared = shared;
    }

    public ulong Start { get; }

    public ulong Last { get; }

    public MemoryProtection Protection { get; }

    public bool Huge { get; }

    /// <summary>The file or device memory behind the mapping; null for anonymous memory.</summary>
    public IVmaBacking? Backing { get; }

    /// <summary>The backing's page index that <see cref="Start"/> shows.</summary>
    public ulong BackingFirstPage { get; }

    /// <summary>MAP_SHARED: writes reach the backing's pages (otherwise they go to private copies).</summary>
    public bool Shared { get; }

    /// <summary>The backing page index behind the page containing <paramref name="address"/>.</summary>
    public ulong BackingIndexOf(ulong address) => BackingFirstPage + ((address - Start) / SimulatedProcess.PageSize);

    /// <summary>The part [start, last] of this mapping with <paramref name="protection"/>, keeping what it maps.</summary>
    public Vma Slice(ulong start, ulong last, MemoryProtection protection)
        => new(start, last, protection, Huge, Backing, Backing is null ? 0 : BackingIndexOf(start), Shared);
}
