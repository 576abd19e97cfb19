using System.Runtime.InteropServices;
using IommuContracts.Contracts;
using IommuContracts.Engine.IoPageTable;
using IommuContracts.Ioctl;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// The IOAS uAPI: ALLOC, MAP, UNMAP, COPY, IOVA_RANGES, ALLOW_IOVAS.
internal sealed partial class IommufdContext
{
    [IoctlHandler(typeof(IommuIoasAlloc))]
    private Errno IoasAlloc(ref IommuIoasAlloc alloc, ref IoctlCall call)
    {
        var ioas = new Ioas(this);
        var allocated = Objects.Allocate(ioas);
        if (allocated != Errno.None)
        {
            return allocated;
        }

        alloc.OutIoasId = ioas.Id;

        // The ID reaches user space before the object is published: a fault here aborts it without a trace.
        if (call.Respond(in alloc) != Errno.None)
        {
            Objects.Abort(ioas);
            return Errno.EFAULT;
        }

        Objects.Publish(ioas);
        return Errno.None;
    }

    // IOAS_MAP and IOAS_MAP_FILE refuse the same arguments before the IOAS is looked up: an IOVA or length of
    // U64_MAX (EOVERFLOW), and a mapping neither readable nor writeable (EINVAL).
    private static Errno CheckMapArguments(ulong iova, ulong length, IommuIoasMapFlags flags)
    {
        if (iova == ulong.MaxValue || length == ulong.MaxValue)
        {
            return Errno.EOVERFLOW;
        }

        return (flags & (IommuIoasMapFlags.Writeable | IommuIoasMapFlags.Readable)) == 0 ? Errno.EINVAL : Errno.None;
    }

    [IoctlHandler(typeof(IommuIoasMap))]
    private Errno IoasMap(ref IommuIoasMap map, ref IoctlCall call)
    {
        var checkedArguments = CheckMapArguments(map.Iova, map.Length, map.Flags);
        if (checkedArguments != Errno.None)
        {
            return checkedArguments;
        }

        var found = Objects.Get(map.IoasId, out Ioas? ioas);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            var iova = map.Iova;
            var allocate = (map.Flags & IommuIoasMapFlags.FixedIova) == 0;
            var result = ioas!.Iopt.MapUserPages(Caller(ref call), ref iova, map.UserVa, map.Length, ProtOf(map.Flags), allocate, AccountMode);
            if (result == Errno.None)
            {
                map.Iova = iova;
            }

            return result;
        }
        finally
        {
            Objects.Put(ioas!);
        }
    }

    [IoctlHandler(typeof(IommuIoasUnmap))]
    private Errno IoasUnmap(ref IommuIoasUnmap unmap)
    {
        var found = Objects.Get(unmap.IoasId, out Ioas? ioas);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            ulong unmapped;
            if (unmap.Iova == 0 && unmap.Length == ulong.MaxValue)
            {
                var all = ioas!.Iopt.UnmapAll(out unmapped);
                if (all != Errno.None)
                {
                    return all;
                }
            }
            else
            {
                if (unmap.Iova == ulong.MaxValue || unmap.Length == ulong.MaxValue)
                {
                    return Errno.EOVERFLOW;
                }

                var result = UnmapIova(ioas!.Iopt, unmap.Iova, unmap.Length, out unmapped);
                if (result != Errno.None)
                {
                    return result;
                }

                // The native ioctl treats an empty range as an error (VFIO compatibility does not).
                if (unmapped == 0)
                {
                    return Errno.ENOENT;
                }
            }

            unmap.Length = unmapped;
            return Errno.None;
        }
        finally
        {
            Objects.Put(ioas!);
        }
    }

    [IoctlHandler(typeof(IommuIoasCopy))]
    private Errno IoasCopy(ref IommuIoasCopy copy)
    {
        if (copy.Length == ulong.MaxValue || copy.SrcIova == ulong.MaxValue || copy.DstIova == ulong.MaxValue)
        {
            return Errno.EOVERFLOW;
        }

        if ((copy.Flags & (IommuIoasMapFlags.Writeable | IommuIoasMapFlags.Readable)) == 0)
        {
            return Errno.EINVAL;
        }

        var found = Objects.Get(copy.SrcIoasId, out Ioas? source);
        if (found != Errno.None)
        {
            return found;
        }

        var spans = new List<PagesSpan>();
        var taken = source!.Iopt.GetPages(copy.SrcIova, copy.Length, spans);
        Objects.Put(source);
        if (taken != Errno.None)
        {
            return taken;
        }

        found = Objects.Get(copy.DstIoasId, out Ioas? destination);
        if (found != Errno.None)
        {
            IoPageTable.IoPageTable.ReleaseSpans(spans);
            return found;
        }

        try
        {
            var iova = copy.DstIova;
            var allocate = (copy.Flags & IommuIoasMapFlags.FixedIova) == 0;
            var hint = spans[0].Pages.UserVa + spans[0].StartByte;
            var result = destination!.Iopt.MapPages(spans, copy.Length, ref iova, ProtOf(copy.Flags), allocate, hint);
            if (result != Errno.None)
            {
                IoPageTable.IoPageTable.ReleaseSpans(spans);
                return result;
            }

            copy.DstIova = iova;
            return Errno.None;
        }
        finally
        {
            Objects.Put(destination!);
        }
    }

    [IoctlHandler(typeof(IommuIoasIovaRanges))]
    private Errno IoasIovaRanges(ref IommuIoasIovaRanges query, ref IoctlCall call)
    {
        var found = Objects.Get(query.IoasId, out Ioas? ioas);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            var capacity = query.NumIovas;
            var ranges = ioas!.Iopt.UsableRanges();
            query.OutIovaAlignment = ioas.Iopt.IovaAlignment;
            query.NumIovas = 0;
            foreach (var (start, last) in ranges)
            {
                if (query.NumIovas < capacity)
                {
                    var range = new IommuIovaRange(start, last);
                    var address = query.AllowedIovas + ((ulong)query.NumIovas * (ulong)Marshal.SizeOf<IommuIovaRange>());
                    if (IoctlArguments.WriteField(call.Memory, address, in range) != Errno.None)
                    {
                        return Errno.EFAULT;
                    }
                }

                query.NumIovas++;
            }

            // The count goes back to user space even when the array was too small.
            if (call.Respond(in query) != Errno.None)
            {
                return Errno.EFAULT;
            }

            return query.NumIovas > capacity ? Errno.EMSGSIZE : Errno.None;
        }
        finally
        {
            Objects.Put(ioas!);
        }
    }

    [IoctlHandler(typeof(IommuIoasAllowIovas))]
    private Errno IoasAllowIovas(ref IommuIoasAllowIovas allow, ref IoctlCall call)
    {
        var found = Objects.Get(allow.IoasId, out Ioas? ioas);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            var ranges = new List<(ulong Start, ulong Last)>();
            var size = (ulong)Marshal.SizeOf<IommuIovaRange>();
            Span<byte> bytes = stackalloc byte[Marshal.SizeOf<IommuIovaRange>()];
            for (uint i = 0; i < allow.NumIovas; i++)
            {
                if (call.Memory.CopyFromUser(allow.AllowedIovas + (i * size), bytes) != Errno.None)
                {
                    return Errno.EFAULT;
                }

                var range = MemoryMarshal.Read<IommuIovaRange>(bytes);
                if (range.Start >= range.Last || ranges.Any(r => r.Start <= range.Last && range.Start <= r.Last))
                {
                    return Errno.EINVAL;
                }

                var allocation = Kernel.Faults.Hit(Faults.FaultPoint.Allocation);
                if (allocation != Errno.None)
                {
                    return allocation;
                }

                ranges.Add((range.Start, range.Last));
            }

            return ioas!.Iopt.SetAllowed(ranges);
        }
        finally
        {
            Objects.Put(ioas!);
        }
    }

    /// <summary>iopt_unmap_iova: length 0 is EINVAL, a wrapping range EOVERFLOW.</summary>
    private static Errno UnmapIova(IoPageTable.IoPageTable iopt, ulong iova, ulong length, out ulong unmapped)
    {
        unmapped = 0;
        if (length == 0)
        {
            return Errno.EINVAL;
        }

        return Overflow.TryLast(iova, length, out var last) ? iopt.UnmapRange(iova, last, out unmapped) : Errno.EOVERFLOW;
    }

    private static IommuProt ProtOf(IommuIoasMapFlags flags)
    {
        var prot = IommuProt.Cache;
        if ((flags & IommuIoasMapFlags.Readable) != 0)
        {
            prot |= IommuProt.Read;
        }

        if ((flags & IommuIoasMapFlags.Writeable) != 0)
        {
            prot |= IommuProt.Write;
        }

        return prot;
    }
}
