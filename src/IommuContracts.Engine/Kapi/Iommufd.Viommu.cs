using IommuContracts.Contracts;
using IommuContracts.Engine.Core;
using IommuContracts.Engine.Iommu;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Kapi;

// The vIOMMU side of include/linux/iommufd.h that IOMMU drivers use: vDEVICE lookup, vEVENT reports and the
// HW queue's memory.
public static partial class Iommufd
{
    /// <summary>iommufd_get_viommu: a reference to the vIOMMU <paramref name="id"/> of the context; ENOENT for any other ID.</summary>
    [MustCheck]
    public static Errno ViommuGet([RequiresState("Held")] IommufdCtx ctx, ViommuId id, [Acquires("Held")] out IommufdViommu? viommu)
    {
        NullHandle.Check(ctx, nameof(ctx));
        viommu = null;
        var found = ctx.Context.Objects.Get(id, out Viommu? target);
        if (found != Errno.None)
        {
            return found;
        }

        viommu = new IommufdViommu(target!);
        return Errno.None;
    }

    /// <summary>iommufd_put_object: gives the vIOMMU reference back; the handle is dead afterwards.</summary>
    public static void ViommuPut([Releases] IommufdViommu viommu)
    {
        NullHandle.Check(viommu, nameof(viommu));
        viommu.Reference.Release("iommufd_put_object");
    }

    /// <summary>
    /// iommufd_viommu_find_dev: the device whose vDEVICE in the vIOMMU has virtual ID <paramref name="virtId"/>;
    /// ENOENT when there is none.
    /// </summary>
    [MustCheck]
    public static Errno ViommuFindDevice([RequiresState("Held")] IommufdViommu viommu, ulong virtId, out PciDevice? device)
    {
        NullHandle.Check(viommu, nameof(viommu));
        viommu.Reference.Check("iommufd_viommu_find_dev");
        lock (viommu.Viommu.VdevLock)
        {
            device = viommu.Viommu.FindDevice(virtId);
        }

        return device is null ? Errno.ENOENT : Errno.None;
    }

    /// <summary>iommufd_viommu_get_vdev_id: the virtual ID of <paramref name="device"/> in the vIOMMU; ENOENT without a vDEVICE there.</summary>
    [MustCheck]
    public static Errno ViommuGetVdevId([RequiresState("Held")] IommufdViommu viommu, PciDevice device, out ulong virtId)
    {
        NullHandle.Check(viommu, nameof(viommu));
        ArgumentNullException.ThrowIfNull(device);
        viommu.Reference.Check("iommufd_viommu_get_vdev_id");
        return viommu.Viommu.GetVdevId(device, out virtId);
    }

    /// <summary>
    /// iommufd_viommu_report_event: queues a vEVENT for user space on the vIOMMU's event queue of
    /// <paramref name="type"/>. EOPNOTSUPP without such a queue; EINVAL for empty data; ENOMEM when it could not
    /// be queued (user space then sees a LOST_EVENTS header, as it does when the queue is full).
    /// </summary>
    [MustCheck]
    public static Errno ViommuReportEvent([RequiresState("Held")] IommufdViommu viommu, IommuVeventqType type, ReadOnlySpan<byte> data)
    {
        NullHandle.Check(viommu, nameof(viommu));
        viommu.Reference.Check("iommufd_viommu_report_event");
        return viommu.Viommu.ReportEvent(type, data);
    }

    /// <summary>A reference to the HW queue <paramref name="id"/> of the context; ENOENT for any other ID.</summary>
    [MustCheck]
    public static Errno HwQueueGet([RequiresState("Held")] IommufdCtx ctx, HwQueueId id, [Acquires("Held")] out IommufdHwQueue? queue)
    {
        NullHandle.Check(ctx, nameof(ctx));
        queue = null;
        var found = ctx.Context.Objects.Get(id, out HwQueue? target);
        if (found != Errno.None)
        {
            return found;
        }

        queue = new IommufdHwQueue(target!);
        return Errno.None;
    }

    /// <summary>Gives the HW queue reference back; the handle is dead afterwards.</summary>
    public static void HwQueuePut([Releases] IommufdHwQueue queue)
    {
        NullHandle.Check(queue, nameof(queue));
        queue.Reference.Release("iommufd_put_object");
    }

    /// <summary>The hardware reads <paramref name="destination"/>.Length bytes of the guest queue at <paramref name="offset"/>; EINVAL past its end.</summary>
    [MustCheck]
    public static Errno HwQueueRead([RequiresState("Held")] IommufdHwQueue queue, ulong offset, Span<byte> destination)
    {
        NullHandle.Check(queue, nameof(queue));
        queue.Reference.Check("HW queue read");
        return CopyQueue(queue.Queue, offset, destination, write: false);
    }

    /// <summary>The hardware writes <paramref name="source"/> into the guest queue at <paramref name="offset"/>; EINVAL past its end.</summary>
    [MustCheck]
    public static Errno HwQueueWrite([RequiresState("Held")] IommufdHwQueue queue, ulong offset, ReadOnlySpan<byte> source)
    {
        NullHandle.Check(queue, nameof(queue));
        queue.Reference.Check("HW queue write");
        var copy = source.ToArray();
        return CopyQueue(queue.Queue, offset, copy, write: true);
    }

    // The queue's pinned pages are physically contiguous: offset o is byte (base + o) of them.
    private static Errno CopyQueue(HwQueue queue, ulong offset, Span<byte> data, bool write)
    {
        if (offset > queue.Length || (ulong)data.Length > queue.Length - offset)
        {
            return Errno.EINVAL;
        }

        const ulong PageSize = Host.SimulatedProcess.PageSize;
        var position = (queue.BasePhysical % PageSize) + offset;
        var done = 0;
        while (done < data.Length)
        {
            var page = queue.Pages[(position + (ulong)done) / PageSize];
            var inPage = (int)((position + (ulong)done) % PageSize);
            var count = Math.Min((int)PageSize - inPage, data.Length - done);
            if (write)
            {
                page.Write(inPage, data.Slice(done, count));
            }
            else
            {
                page.Read(inPage, data.Slice(done, count));
            }

            done += count;
        }

        return Errno.None;
    }
}
