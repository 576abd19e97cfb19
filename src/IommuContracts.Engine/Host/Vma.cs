namespace IommuContracts.Engine.Host;

/// <summary>One mapping of the simulated process: [Start, Last] with its protection.</summary>
internal sealed class Vma
{
    public Vma(ulong start, ulong last, MemoryProtection protection, bool huge)
    {
        Start = start;
        Last = last;
        Protection = protection;
        Huge = huge;
    }

    public ulong Start { get; }

    public ulong Last { get; }

    public MemoryProtection Protection { get; }

    public bool Huge { get; }
}
