using IommuContracts.Contracts;

namespace IommuContracts.Engine.Core;

/// <summary>
/// An IO address space: its io_pagetable, and the mutex that guards its HWPT list (ioas->mutex, first in
/// the lock order after the object table).
/// </summary>
[IommufdObject(typeof(IoasId), Kind = 4)]
internal sealed partial class Ioas : IommufdObject
{
    public Ioas(IommufdContext context)
        : base(context)
        => Iopt = new IoPageTable.IoPageTable(context.Kernel);

    private readonly List<HwptPaging> _hwpts = new();

    public IoPageTable.IoPageTable Iopt { get; }

    /// <summary>ioas->mutex.</summary>
    [LockLevel("ioas", 1)]
    public object Mutex { get; } = new();

    /// <summary>True when every HWPT on this IOAS enforces cache coherency (VFIO_DMA_CC_IOMMU).</summary>
    public bool AllHwptsEnforceCoherency()
    {
        lock (Mutex)
        {
            return _hwpts.All(h => h.Domain.EnforceCacheCoherency);
        }
    }

    /// <summary>The paging HWPTs on this IOAS (ioas->hwpt_list); hold <see cref="Mutex"/>.</summary>
    public IReadOnlyList<HwptPaging> Hwpts => _hwpts;

    public void AddHwpt(HwptPaging hwpt) => _hwpts.Add(hwpt);

    public void RemoveHwpt(HwptPaging hwpt) => _hwpts.Remove(hwpt);

    /// <summary>iommufd_ioas_destroy: unmaps and unpins everything, then drops the test-reserved ranges.</summary>
    internal void Destroy()
    {
        var result = Iopt.UnmapAll(out _);
        if (result != Errno.None && result != Errno.ENOENT)
        {
            Context.Kernel.Log.Warn($"{this}: unmap at destroy failed with {result}");
        }

        Iopt.RemoveReserved(IoPageTable.IoPageTable.NoOwner);
        if (Iopt.AreaCount != 0)
        {
            Context.Kernel.Log.Warn($"{this}: areas left at destroy");
        }
    }
}
