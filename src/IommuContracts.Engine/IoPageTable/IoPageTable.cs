using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.IoPageTable;

/// <summary>
/// The io_pagetable of one IOAS: areas, reserved and allowed IOVA in interval trees, the attached domains
/// and accesses, and the IOVA alignment they impose. One lock (<see cref="Lock"/>) stands for the kernel's
/// domains_rwsem + iova_rwsem; pages objects have their own lock, taken inside it.
/// </summary>
internal sealed partial class IoPageTable
{
    public const ulong PageSize = SimulatedProcess.PageSize;

    /// <summary>HPAGE_SIZE: the cap on automatic IOVA alignment when THP is configured (<see cref="SimulatedKernel.TransparentHugePages"/>).</summary>
    public const ulong MaxAutoAlignment = 2UL << 20;

    private readonly IntervalTree<Area> _areas = new();
    private readonly IntervalTree<ReservedRange> _reserved = new();
    private readonly IntervalTree<object?> _allowed = new();
    private readonly List<IIoptDomain> _domains = new();
    private readonly List<IIoptAccess> _accesses = new();

    public IoPageTable(SimulatedKernel kernel) => Kernel = kernel;

    [IommuContracts.Contracts.LockLevel("iopt", 3)]
    public object Lock { get; } = new();

    public SimulatedKernel Kernel { get; }

    /// <summary>Every mapping's IOVA, length and page offset must be a multiple of this (1 for a fresh IOAS).</summary>
    public ulong IovaAlignment { get; private set; } = 1;

    /// <summary>IOMMU_OPTION_HUGE_PAGES = 0: everything is mapped with PAGE_SIZE pages.</summary>
    public bool LargePagesDisabled { get; private set; }

    public IReadOnlyList<IIoptDomain> Domains => _domains;

    public int AreaCount
    {
        get
        {
            lock (Lock)
            {
                return _areas.Count;
            }
        }
    }

    private Errno Fault(FaultPoint point) => Kernel.Faults.Hit(point);
}
