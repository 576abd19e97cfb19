using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Iommu;

namespace IommuContracts.Engine.Core;

// Per-iommu_group state of this context, created by the first bind of a group's device.
internal sealed partial class IommufdContext
{
    private readonly Dictionary<IommuGroup, IommufdGroup> _groups = new();

    /// <summary>iommufd_get_group: the context's state for <paramref name="group"/>, created on first use.</summary>
    public Errno GetGroup(IommuGroup group, out IommufdGroup? state)
    {
        lock (_groups)
        {
            if (!_groups.TryGetValue(group, out state))
            {
                var allocated = Kernel.Faults.Hit(FaultPoint.Allocation);
                if (allocated != Errno.None)
                {
                    return allocated;
                }

                state = new IommufdGroup(this, group);
                _groups[group] = state;
            }

            state.BoundDevices++;
            return Errno.None;
        }
    }

    public void PutGroup(IommufdGroup state)
    {
        lock (_groups)
        {
            if (--state.BoundDevices == 0)
            {
                _groups.Remove(state.Group);
            }
        }
    }

    /// <summary>The context's state for <paramref name="group"/> if a device of it is bound here.</summary>
    public IommufdGroup? FindGroup(IommuGroup group)
    {
        lock (_groups)
        {
            return _groups.GetValueOrDefault(group);
        }
    }

    /// <summary>iommufd_ctx_has_group: a device of <paramref name="group"/> is bound in this context.</summary>
    public bool HasGroup(IommuGroup group)
    {
        lock (_groups)
        {
            return _groups.ContainsKey(group);
        }
    }

    public int GroupCount
    {
        get
        {
            lock (_groups)
            {
                return _groups.Count;
            }
        }
    }
}
