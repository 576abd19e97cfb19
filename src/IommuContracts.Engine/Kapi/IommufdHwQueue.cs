using IommuContracts.Contracts;
using IommuContracts.Engine.Core;

namespace IommuContracts.Engine.Kapi;

/// <summary>
/// A driver's reference to a HW queue (struct iommufd_hw_queue *), from <see cref="Iommufd.HwQueueGet"/> until
/// <see cref="Iommufd.HwQueuePut"/>: the driver playing the IOMMU hardware reads and writes the guest queue
/// memory by physical address, as the hardware does, for as long as it holds it.
/// </summary>
[Typestate("Held")]
public sealed class IommufdHwQueue
{
    internal IommufdHwQueue(HwQueue queue) => Reference = new ObjectReference(queue, $"hw_queue {queue.Id}");

    internal ObjectReference Reference { get; }

    internal HwQueue Queue => (HwQueue)Reference.Target;

    /// <summary>The queue's ID in its context.</summary>
    public HwQueueId Id => Queue.Id;

    /// <summary>The queue's length in bytes.</summary>
    public ulong Length => Queue.Length;

    /// <summary>The physical address of the queue's first byte (what the hardware is programmed with).</summary>
    public ulong BasePhysical => Queue.BasePhysical;

    /// <summary>The reference was put; any further use is IOMMU0002.</summary>
    public bool IsReleased => Reference.IsReleased;

    /// <inheritdoc/>
    public override string ToString() => Reference.What;
}
