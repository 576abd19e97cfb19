using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.Core;

// The context's mmap space (ictx->mt_mmap): regions drivers expose through mmap of the iommufd fd.
internal sealed partial class IommufdContext
{
    private readonly SortedDictionary<ulong, MmapRegion> _mmaps = new();

    /// <summary>
    /// _iommufd_alloc_mmap: a new region of <paramref name="pages"/> owned by <paramref name="owner"/> at the
    /// lowest free offset from PAGE_SIZE up (the first page is skipped so 0 is never an answer); ENOMEM.
    /// </summary>
    public Errno AllocateMmap(IommufdObject owner, UserPage[] pages, out ulong offset)
    {
        offset = 0;
        var allocated = Kernel.Faults.Hit(FaultPoint.Allocation);
        if (allocated != Errno.None)
        {
            return allocated;
        }

        var length = (ulong)pages.Length * SimulatedProcess.PageSize;
        lock (_mmaps)
        {
            ulong candidate = SimulatedProcess.PageSize;
            foreach (var region in _mmaps.Values)
            {
                if (region.Offset >= candidate + length)
                {
                    break;
                }

                candidate = Math.Max(candidate, region.Offset + region.Length);
            }

            _mmaps[candidate] = new MmapRegion(owner, candidate, pages);
            offset = candidate;
            return Errno.None;
        }
    }

    /// <summary>_iommufd_destroy_mmap: the region is no longer mappable (existing mappings stay).</summary>
    public void DestroyMmap(IommufdObject owner, ulong offset)
    {
        lock (_mmaps)
        {
            if (!_mmaps.TryGetValue(offset, out var region) || !ReferenceEquals(region.Owner, owner))
            {
                Kernel.Log.Warn($"mmap region 0x{offset:X} destroyed by {owner}, which does not own it");
                return;
            }

            _mmaps.Remove(offset);
        }
    }

    /// <summary>
    /// iommufd_fops_mmap: exactly one whole region, shared, not executable. EINVAL for a length that is not
    /// whole pages or a private mapping, EPERM for PROT_EXEC, ENXIO for any other offset or length, or when the
    /// owner is being destroyed.
    /// </summary>
    public Errno Mmap(ulong length, MemoryProtection protection, bool shared, ulong offset, out IVmaBacking? backing, out ulong firstPage)
    {
        backing = null;
        firstPage = 0;

        // A kernel before vIOMMU regions has no mmap in iommufd's file_operations: do_mmap answers ENODEV.
        if (!Kernel.Profile.Supports(Profiles.KernelFeatures.IommufdMmap))
        {
            return Errno.ENODEV;
        }

        if (length % SimulatedProcess.PageSize != 0 || !shared)
        {
            return Errno.EINVAL;
        }

        if ((protection & MemoryProtection.Exec) != 0)
        {
            return Errno.EPERM;
        }

        lock (_mmaps)
        {
            // mtree_load finds the region containing the offset; only its exact start and length map.
            var region = _mmaps.Values.FirstOrDefault(r => offset >= r.Offset && offset - r.Offset < r.Length);
            if (region is null || region.Offset != offset || region.Length != length || region.Owner.Users == 0)
            {
                return Errno.ENXIO;
            }

            backing = region;
            return Errno.None;
        }
    }
}
