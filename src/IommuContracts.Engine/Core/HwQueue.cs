using IommuContracts.Contracts;
using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.Core;

/// <summary>
/// A HW queue of a vIOMMU (IOMMUFD_OBJ_HW_QUEUE, IOMMU_HW_QUEUE_ALLOC): a guest queue the IOMMU hardware
/// reads directly by physical address. Its memory (a range of the nesting parent's IOAS) is pinned through an
/// internal access, which locks those mappings against IOAS_UNMAP (EBUSY) for the queue's lifetime, and must
/// be physically contiguous. It holds a user on its vIOMMU; the mock driver makes queue N depend on N-1.
/// </summary>
[IommufdObject(typeof(HwQueueId), Kind = 10)]
internal sealed partial class HwQueue : IommufdObject
{
    public HwQueue(IommufdContext context)
        : base(context)
    {
    }

    /// <summary>Set once the queue holds a user on it.</summary>
    public Viommu? Viommu { get; set; }

    /// <summary>The internal access pinning the queue memory, once pinned.</summary>
    public Access? Access { get; set; }

    public Uapi.IommuHwQueueType Type { get; set; }

    /// <summary>The queue's IOVA in the nesting parent (nesting_parent_iova).</summary>
    public ulong BaseAddress { get; set; }

    public ulong Length { get; set; }

    /// <summary>The physical address of the queue's first byte.</summary>
    public ulong BasePhysical { get; set; }

    /// <summary>The pinned pages, physically contiguous, in order.</summary>
    public UserPage[] Pages { get; set; } = [];

    /// <summary>The driver's teardown, set when its init succeeded (hw_queue->destroy).</summary>
    public Action<HwQueue>? DriverDestroy { get; set; }

    /// <summary>iommufd_hw_queue_destroy: the driver's destroy, then the pin, the internal access, the vIOMMU's user.</summary>
    internal void Destroy()
    {
        DriverDestroy?.Invoke(this);
        DriverDestroy = null;
        if (Access is { } access)
        {
            ReleaseAccess(access, BaseAddress, Length);
            Access = null;
        }

        Viommu?.DropUser();
        Viommu = null;
    }

    /// <summary>iommufd_hw_queue_destroy_access: unpin the page-aligned range, detach and destroy the internal access.</summary>
    public static void ReleaseAccess(Access access, ulong baseAddress, ulong length)
    {
        var aligned = baseAddress / SimulatedProcess.PageSize * SimulatedProcess.PageSize;
        var span = AlignUp(length + (baseAddress - aligned));
        lock (access.IoasLock)
        {
            if (access.IoasForUnpin is { } ioas && !ioas.Iopt.AccessUnpin(aligned, aligned + span - 1, unlockAreas: true))
            {
                access.Context.Kernel.Log.Warn($"{access}: HW queue memory unpin found no mapping");
            }

            if (access.Ioas is not null && access.ChangeIoas(null) != Errno.None)
            {
                access.Context.Kernel.Log.Warn($"{access}: detach of the HW queue's access failed");
            }
        }

        access.Context.Objects.RemoveOwned(access);
    }

    private static ulong AlignUp(ulong value) => (value + SimulatedProcess.PageSize - 1) / SimulatedProcess.PageSize * SimulatedProcess.PageSize;
}
