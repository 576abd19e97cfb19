using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.IoPageTable;

/// <summary>Pin bookkeeping for 4096 consecutive pages of a pages object: who needs each page pinned, and the page.</summary>
internal sealed class PinChunk
{
    public const int Pages = 4096;

    public readonly UserPage?[] Pinned = new UserPage?[Pages];
    public readonly int[] Users = new int[Pages];
}
