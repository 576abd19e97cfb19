using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.IoPageTable;

/// <summary>
/// iopt_area: one MAP or COPY, [Iova, Last], backed by bytes [PagesStartByte, PagesStartByte + Length) of a
/// shared pages object. Pages is null while the area is being built or torn down.
/// </summary>
internal sealed class Area
{
    public Area(ulong iova, ulong last, ulong pagesStartByte, IommuProt prot)
    {
        Iova = iova;
        Last = last;
        PagesStartByte = pagesStartByte;
        Prot = prot;
    }

    public ulong Iova { get; }

    public ulong Last { get; }

    public ulong Length => Last - Iova + 1;

    public ulong PagesStartByte { get; }

    public IommuProt Prot { get; }

    public IoPages? Pages { get; set; }

    /// <summary>The same pages object while the area is being built, before it is published in <see cref="Pages"/>.</summary>
    public IoPages? PendingPages { get; set; }

    public IntervalTree<Area>.Node? Node { get; set; }

    /// <summary>Accesses that hold pins inside this area (num_accesses).</summary>
    public int AccessPins { get; set; }

    /// <summary>Set while an unmap waits for accesses to drop their pins: new access pins are refused.</summary>
    public bool PreventAccess { get; set; }

    /// <summary>Objects that lock this area against unmap (num_locks; HW queues).</summary>
    public int Locks { get; set; }

    public ulong PageOffset => PagesStartByte % SimulatedProcess.PageSize;

    public ulong FirstPageIndex => PagesStartByte / SimulatedProcess.PageSize;

    public ulong LastPageIndex => (PagesStartByte + Length - 1) / SimulatedProcess.PageSize;

    /// <summary>The byte offset inside the pages object that IOVA <paramref name="iova"/> maps to.</summary>
    public ulong StartByteOf(ulong iova) => PagesStartByte + (iova - Iova);

    public override string ToString() => $"area [0x{Iova:X}, 0x{Last:X}]";
}
