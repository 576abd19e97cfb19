using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.Core;

/// <summary>
/// iommufd_mmap: device memory a driver lets user space mmap from the iommufd fd (a vIOMMU's MMIO page). The
/// mapping is VM_PFNMAP (it cannot be pinned) and each VMA of it holds a user on the owning object and a
/// reference on the iommufd file, so the owner cannot be destroyed (EBUSY) while it is mapped.
/// </summary>
internal sealed class MmapRegion : IVmaBacking
{
    public MmapRegion(IommufdObject owner, ulong offset, UserPage[] pages)
    {
        Owner = owner;
        Offset = offset;
        Pages = pages;
    }

    public IommufdObject Owner { get; }

    /// <summary>The mmap offset user space passes (the region's start in the context's mmap space).</summary>
    public ulong Offset { get; }

    public UserPage[] Pages { get; }

    public ulong Length => (ulong)Pages.Length * SimulatedProcess.PageSize;

    public bool CanPin => false;

    public bool Huge => false;

    public UserPage? PageAt(ulong index, bool create) => index < (ulong)Pages.Length ? Pages[index] : null;

    public void Opened()
    {
        Owner.AddUser();
        Owner.Context.GetFileReference();
    }

    public void Closed()
    {
        Owner.DropUser();
        Owner.Context.PutFileReference();
    }
}
