using System.Buffers.Binary;
using IommuContracts.Contracts;
using IommuContracts.Engine.IoPageTable;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// The VFIO container ioctls on /dev/iommu, served from the compatibility IOAS (vfio_compat.c).
internal sealed partial class IommufdContext
{
    private const ulong NestingIommu = 2;
    private const ulong UpdateVaddr = 10;

    [IoctlHandler(typeof(VfioGetApiVersion))]
    private static int VfioGetApiVersionOp(ulong value) => VfioConstants.ApiVersion;

    [IoctlHandler(typeof(VfioCheckExtension))]
    private int VfioCheckExtensionOp(ulong extension) => extension switch
    {
        VfioConstants.Type1Iommu or VfioConstants.Type1v2Iommu or VfioConstants.UnmapAll => 1,
        VfioConstants.DmaCcIommu => CompatIommuEnforcesCoherency(),
        NestingIommu or UpdateVaddr => 0,
        _ => 0,
    };

    [IoctlHandler(typeof(VfioSetIommu))]
    private int VfioSetIommuOp(ulong type)
    {
        if (type != VfioConstants.Type1Iommu && type != VfioConstants.Type1v2Iommu)
        {
            return Errno.EINVAL.ToSyscallResult();
        }

        var compat = GetCompatIoas(out var ioas);
        if (compat != Errno.None)
        {
            return compat.ToSyscallResult();
        }

        try
        {
            // TYPE1 may unmap in the middle of a mapping, which large IOPTEs cannot be split for.
            return type == VfioConstants.Type1Iommu ? ioas!.Iopt.DisableLargePages().ToSyscallResult() : 0;
        }
        finally
        {
            Objects.Put(ioas!);
        }
    }

    [IoctlHandler(typeof(VfioIommuType1DmaMap))]
    private Errno VfioMapDma(ref VfioIommuType1DmaMap map, ref IoctlCall call)
    {
        // VADDR updates are not something iommufd can do safely.
        if ((map.Flags & VfioDmaMapFlags.Vaddr) != 0)
        {
            return Errno.EINVAL;
        }

        var compat = GetCompatIoas(out var ioas);
        if (compat != Errno.None)
        {
            return compat;
        }

        try
        {
            var prot = IommuProt.Cache;
            prot |= (map.Flags & VfioDmaMapFlags.Read) != 0 ? IommuProt.Read : IommuProt.None;
            prot |= (map.Flags & VfioDmaMapFlags.Write) != 0 ? IommuProt.Write : IommuProt.None;
            var iova = map.Iova;
            return ioas!.Iopt.MapUserPages(Caller(ref call), ref iova, map.Vaddr, map.Size, prot, allocateIova: false, AccountMode);
        }
        finally
        {
            Objects.Put(ioas!);
        }
    }

    [IoctlHandler(typeof(VfioIommuType1DmaUnmap))]
    private Errno VfioUnmapDma(ref VfioIommuType1DmaUnmap unmap, ref IoctlCall call)
    {
        // GET_DIRTY_BITMAP and VADDR are obsolete for iommufd.
        if ((unmap.Flags & ~VfioDmaUnmapFlags.All) != 0)
        {
            return Errno.EINVAL;
        }

        var compat = GetCompatIoas(out var ioas);
        if (compat != Errno.None)
        {
            return compat;
        }

        try
        {
            ulong unmapped = 0;
            Errno result;
            if ((unmap.Flags & VfioDmaUnmapFlags.All) != 0)
            {
                if (unmap.Iova != 0 || unmap.Size != 0)
                {
                    return Errno.EINVAL;
                }

                result = ioas!.Iopt.UnmapAll(out unmapped);
            }
            else
            {
                if (ioas!.Iopt.LargePagesDisabled)
                {
                    // TYPE1: cut areas at both ends of the range first (no cut needed below IOVA 0).
                    var cuts = unmap.Iova != 0
                        ? new[] { unchecked(unmap.Iova + unmap.Size - 1), unmap.Iova - 1 }
                        : new[] { unchecked(unmap.Iova + unmap.Size - 1) };
                    var cut = ioas.Iopt.CutIova(cuts);
                    if (cut != Errno.None)
                    {
                        return cut;
                    }
                }

                // An empty range is success with size 0 here (since the 2025 fix), unlike the native ioctl.
                result = UnmapIova(ioas.Iopt, unmap.Iova, unmap.Size, out unmapped);
            }

            // The size unmapped so far goes back even when the unmap failed part way.
            unmap.Size = unmapped;
            return call.Respond(in unmap) != Errno.None ? Errno.EFAULT : result;
        }
        finally
        {
            Objects.Put(ioas!);
        }
    }

    [IoctlHandler(typeof(VfioIommuType1Info))]
    private Errno VfioIommuGetInfo(ref VfioIommuType1Info info, ref IoctlCall call)
    {
        var compat = GetCompatIoas(out var ioas);
        if (compat != Errno.None)
        {
            return compat;
        }

        try
        {
            return WriteIommuInfo(ref info, ioas!, call.Memory, call.Address);
        }
        finally
        {
            Objects.Put(ioas!);
        }
    }

    // Page sizes, then a capability chain (DMA_AVAIL, IOVA_RANGE) written only where argsz leaves room;
    // argsz comes back as the size the whole chain needs.
    private static Errno WriteIommuInfo(ref VfioIommuType1Info info, Ioas ioas, IUserMemory memory, ulong address)
    {
        const int InfoSize = VfioIommuType1Info.NativeSize;
        var argsz = info.ArgSz;
        var responseSize = (int)Math.Min(argsz, (uint)InfoSize);
        info.Flags = VfioIommuInfoFlags.PgSizes;
        info.IovaPgsizes = PageSizesOf(ioas.Iopt);
        info.CapOffset = 0;

        var ranges = ioas.Iopt.UsableRanges();
        var dmaAvail = new byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(dmaAvail, VfioConstants.CapDmaAvail);
        BinaryPrimitives.WriteUInt16LittleEndian(dmaAvail.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(dmaAvail.AsSpan(8), uint.MaxValue);
        var iovaCap = new byte[16 + (16 * ranges.Count)];
        BinaryPrimitives.WriteUInt16LittleEndian(iovaCap, VfioConstants.CapIovaRange);
        BinaryPrimitives.WriteUInt16LittleEndian(iovaCap.AsSpan(2), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(iovaCap.AsSpan(8), (uint)ranges.Count);
        for (var i = 0; i < ranges.Count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(iovaCap.AsSpan(16 + (16 * i)), ranges[i].Start);
            BinaryPrimitives.WriteUInt64LittleEndian(iovaCap.AsSpan(24 + (16 * i)), ranges[i].Last);
        }

        var total = (uint)InfoSize;
        uint? lastCap = null;
        Span<byte> next = stackalloc byte[4];
        foreach (var cap in new[] { dmaAvail, iovaCap })
        {
            var avail = argsz > total ? argsz - total : 0;
            var written = WriteCapability(memory, address + total, cap, avail);
            if (written != Errno.None)
            {
                return written;
            }

            // Link the previous capability to this one, where the caller's buffer holds it.
            if (lastCap is { } previous && argsz >= total)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(next, total);
                if (memory.CopyToUser(address + previous + 4, next) != Errno.None)
                {
                    return Errno.EFAULT;
                }
            }

            // Each capability starts 8-byte aligned: the padding after DMA_AVAIL (12 bytes) is skipped, not written.
            lastCap = total;
            total += (uint)((cap.Length + 7) & ~7);
        }

        if (argsz >= total)
        {
            info.CapOffset = InfoSize;
        }

        info.ArgSz = total;
        info.Flags |= VfioIommuInfoFlags.Caps;
        return memory.CopyToUser(address, IoctlArguments.BytesOf(in info)[..responseSize]) != Errno.None ? Errno.EFAULT : Errno.None;
    }

    // iommufd_fill_cap_iova writes each range that fits and the header only if all of it fits;
    // the DMA_AVAIL capability is written whole or not at all.
    private static Errno WriteCapability(IUserMemory memory, ulong address, byte[] cap, uint avail)
    {
        if (cap.Length > 12 && BinaryPrimitives.ReadUInt16LittleEndian(cap) == VfioConstants.CapIovaRange)
        {
            var count = (cap.Length - 16) / 16;
            for (var i = 0; i < count; i++)
            {
                if (avail >= 16 + (16 * (i + 1)) && memory.CopyToUser(address + 16 + (ulong)(16 * i), cap.AsSpan(16 + (16 * i), 16)) != Errno.None)
                {
                    return Errno.EFAULT;
                }
            }

            return avail >= cap.Length && memory.CopyToUser(address, cap.AsSpan(0, 16)) != Errno.None ? Errno.EFAULT : Errno.None;
        }

        return avail >= cap.Length && memory.CopyToUser(address, cap) != Errno.None ? Errno.EFAULT : Errno.None;
    }

    // iommufd_get_pagesizes: the intersection of the domains' sizes, at least PAGE_SIZE-granular and the alignment.
    private static ulong PageSizesOf(IoPageTable.IoPageTable iopt)
    {
        var bitmap = ulong.MaxValue;
        foreach (var domain in iopt.Domains)
        {
            bitmap &= domain is IPageSizeDomain sized ? sized.PageSizeBitmap : ~(domain.MinPageSize - 1);
        }

        const ulong pageMask = ~(IoPageTable.IoPageTable.PageSize - 1);
        if ((bitmap & ~pageMask) != 0)
        {
            bitmap &= pageMask;
            bitmap |= IoPageTable.IoPageTable.PageSize;
        }

        return Math.Max(bitmap, iopt.IovaAlignment);
    }

    // DMA_CC_IOMMU: 1 only if every HWPT of the compatibility IOAS enforces cache coherency.
    private int CompatIommuEnforcesCoherency()
    {
        var compat = GetCompatIoas(out var ioas);
        if (compat != Errno.None)
        {
            return compat.ToSyscallResult();
        }

        try
        {
            return ioas!.AllHwptsEnforceCoherency() ? 1 : 0;
        }
        finally
        {
            Objects.Put(ioas!);
        }
    }
}
