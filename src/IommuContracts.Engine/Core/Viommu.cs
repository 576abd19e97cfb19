using IommuContracts.Contracts;
using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Iommu;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

/// <summary>
/// A virtual IOMMU (IOMMUFD_OBJ_VIOMMU, IOMMU_VIOMMU_ALLOC): a slice of one physical IOMMU for a guest, on a
/// nesting-parent HWPT (it holds a user on it). It owns the guest's virtual device IDs (vDEVICEs), nested
/// HWPTs and HW queues allocated on it and its event queues (one per type). Its driver state is
/// <see cref="Driver"/> (the kernel's viommu->ops); only the mock driver implements a vIOMMU.
/// </summary>
[IommufdObject(typeof(ViommuId), Kind = 7)]
internal sealed partial class Viommu : IommufdObject
{
    private readonly Dictionary<ulong, Vdevice> _vdevs = new();
    private readonly List<Veventq> _veventqs = new();

    public Viommu(IommufdContext context, HwptPaging hwpt, IommuInstance iommu, IommuViommuType type)
        : base(context)
    {
        Hwpt = hwpt;
        Iommu = iommu;
        Type = type;
    }

    /// <summary>The nesting parent (stage 2) the guest's stage-1 tables translate through.</summary>
    public HwptPaging Hwpt { get; }

    /// <summary>The physical IOMMU this vIOMMU is a slice of (viommu->iommu_dev).</summary>
    public IommuInstance Iommu { get; }

    public IommuViommuType Type { get; }

    /// <summary>The driver's state, set once its init succeeded (viommu->ops); null means no operations.</summary>
    public Drivers.MockViommu? Driver { get; set; }

    /// <summary>viommu->vdevs' xa_lock.</summary>
    public object VdevLock { get; } = new();

    /// <summary>viommu->veventqs_rwsem.</summary>
    public object VeventqLock { get; } = new();

    /// <summary>iommufd_viommu_find_dev: the device with virtual ID <paramref name="virtId"/>; hold <see cref="VdevLock"/>.</summary>
    public PciDevice? FindDevice(ulong virtId) => _vdevs.GetValueOrDefault(virtId)?.Idev.Dev;

    /// <summary>iommufd_viommu_get_vdev_id: the virtual ID of <paramref name="device"/> here; ENOENT without a vDEVICE.</summary>
    public Errno GetVdevId(PciDevice device, out ulong virtId)
    {
        lock (VdevLock)
        {
            foreach (var (id, vdev) in _vdevs)
            {
                if (ReferenceEquals(vdev.Idev.Dev, device))
                {
                    virtId = id;
                    return Errno.None;
                }
            }
        }

        virtId = 0;
        return Errno.ENOENT;
    }

    /// <summary>xa_cmpxchg of a new vDEVICE into its virtual ID: EEXIST if the ID is taken, ENOMEM if the slot cannot be allocated.</summary>
    public Errno AddVdevice(Vdevice vdev)
    {
        lock (VdevLock)
        {
            if (_vdevs.ContainsKey(vdev.VirtId))
            {
                return Errno.EEXIST;
            }

            var stored = Context.Kernel.Faults.Hit(FaultPoint.Allocation);
            if (stored != Errno.None)
            {
                return stored;
            }

            _vdevs[vdev.VirtId] = vdev;
            return Errno.None;
        }
    }

    /// <summary>The vDEVICE leaves its virtual ID, if it holds it.</summary>
    public void RemoveVdevice(Vdevice vdev)
    {
        lock (VdevLock)
        {
            if (_vdevs.TryGetValue(vdev.VirtId, out var current) && ReferenceEquals(current, vdev))
            {
                _vdevs.Remove(vdev.VirtId);
            }
        }
    }

    /// <summary>iommufd_viommu_find_veventq; hold <see cref="VeventqLock"/>.</summary>
    public Veventq? FindVeventq(IommuVeventqType type) => _veventqs.Find(q => q.Type == type);

    public void AddVeventq(Veventq queue) => _veventqs.Add(queue);

    public void RemoveVeventq(Veventq queue) => _veventqs.Remove(queue);

    /// <summary>
    /// iommufd_viommu_report_event: queues a vEVENT of <paramref name="type"/>. EINVAL for no data; EOPNOTSUPP
    /// without a queue of that type; a full queue (or a failed allocation, ENOMEM) queues the lost-events
    /// header instead.
    /// </summary>
    public Errno ReportEvent(IommuVeventqType type, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            Context.Kernel.Log.Warn($"{this}: vEVENT reported without data");
            return Errno.EINVAL;
        }

        lock (VeventqLock)
        {
            return FindVeventq(type) is { } queue ? queue.Report(data) : Errno.EOPNOTSUPP;
        }
    }

    /// <summary>iommufd_viommu_destroy: the driver's destroy, then the parent's user goes.</summary>
    internal void Destroy()
    {
        Driver?.Destroy();
        Driver = null;
        Hwpt.DropUser();
    }
}
