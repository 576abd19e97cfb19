using IommuContracts.Contracts;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.IoPageTable;

namespace IommuContracts.Engine.Core;

/// <summary>
/// One open /dev/iommu: the object table, the accounting mode and the VFIO compatibility IOAS. Its ioctls
/// are the <c>[IoctlHandler]</c> methods in the IommufdContext.*.cs files, dispatched by the generated
/// table. Lock order: object table → IOAS mutex → group → io_pagetable → pages.
/// </summary>
[IoctlDispatcher]
internal sealed partial class IommufdContext
{
    private readonly object _vfioLock = new();
    private Ioas? _vfioIoas;

    public IommufdContext(SimulatedProcess owner)
    {
        Owner = owner;
        Objects = new ObjectTable(this);
    }

    /// <summary>The process that opened /dev/iommu.</summary>
    public SimulatedProcess Owner { get; }

    public SimulatedKernel Kernel => Owner.Kernel;

    public ObjectTable Objects { get; }

    /// <summary>RLIMIT_MEMLOCK accounting for new maps (IOMMU_OPTION_RLIMIT_MODE).</summary>
    public AccountMode AccountMode { get; private set; } = AccountMode.User;

    /// <summary>The IOAS the VFIO container ioctls use; not a reference (destroying it clears this).</summary>
    public Ioas? VfioIoas
    {
        get
        {
            lock (_vfioLock)
            {
                return _vfioIoas;
            }
        }
    }

    /// <summary>get_compat_ioas: the compatibility IOAS with a short-term reference, or ENODEV.</summary>
    public Errno GetCompatIoas(out Ioas? ioas)
    {
        ioas = VfioIoas;
        if (ioas is null || Objects.Get(ioas.Id, out ioas) != Errno.None)
        {
            ioas = null;
            return Errno.ENODEV;
        }

        return Errno.None;
    }

    public void SetVfioIoas(Ioas? ioas)
    {
        lock (_vfioLock)
        {
            _vfioIoas = ioas;
        }
    }

    /// <summary>Called as an object leaves the table: it can no longer be the compatibility IOAS.</summary>
    public void ForgetVfioIoas(IommufdObject obj)
    {
        lock (_vfioLock)
        {
            if (ReferenceEquals(_vfioIoas, obj))
            {
                _vfioIoas = null;
            }
        }
    }

    /// <summary>The file of this context; bound devices and accesses hold references on it.</summary>
    public IommufdFile File { get; set; } = null!;

    public void GetFileReference() => File.Get();

    public void PutFileReference() => File.Put();

    /// <summary>Runs when the last reference to the file goes: destroys everything, leaves first.</summary>
    public void Release()
    {
        Objects.ReleaseAll();
        if (GroupCount != 0)
        {
            Kernel.Log.Warn($"iommufd release: {GroupCount} groups still bound");
        }
    }

    private static SimulatedProcess Caller(ref IommuContracts.Ioctl.IoctlCall call) => (SimulatedProcess)call.Memory;
}
