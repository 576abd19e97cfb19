using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Properties;

/// <summary>
/// The model's view of one /dev/iommu fd: a few IOAS slots (each live slot has an ID and an
/// <see cref="IoasReferenceModel"/>) plus the ioctl-level argument checks of ioas.c, in the kernel's order.
/// Slot <see cref="MissingSlot"/> stands for an ID that never exists.
/// </summary>
internal sealed class ModelWorld
{
    public const int SlotCount = 2;
    public const int MissingSlot = SlotCount;
    public const uint MissingId = 1000;
    private const ulong Max = ulong.MaxValue;
    private const IommuIoasMapFlags KnownFlags = IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable;

    private readonly uint[] _ids = new uint[SlotCount];
    private readonly IoasReferenceModel?[] _models = new IoasReferenceModel?[SlotCount];

    /// <summary>
    /// The ID an operation on <paramref name="slot"/> uses: the live IOAS's ID; for an empty slot the ID it
    /// had (a destroyed ID), unless another slot now owns that ID; for the missing slot an ID never handed out.
    /// </summary>
    public uint IdOf(int slot)
    {
        if (slot >= SlotCount)
        {
            return MissingId;
        }

        if (_models[slot] is not null || (_ids[slot] != 0 && !Live().Any(l => l.Id == _ids[slot])))
        {
            return _ids[slot];
        }

        return MissingId + 1 + (uint)slot;
    }

    public IoasReferenceModel? Model(int slot) => slot < SlotCount ? _models[slot] : null;

    public IEnumerable<(int Slot, uint Id, IoasReferenceModel Model)> Live()
    {
        for (var slot = 0; slot < SlotCount; slot++)
        {
            if (_models[slot] is { } model)
            {
                yield return (slot, _ids[slot], model);
            }
        }
    }

    /// <summary>IOMMU_IOAS_ALLOC into an empty slot: the lowest ID no live object holds.</summary>
    public uint Allocate(int slot)
    {
        uint id = 1;
        while (Live().Any(l => l.Id == id))
        {
            id++;
        }

        _ids[slot] = id;
        _models[slot] = new IoasReferenceModel();
        return id;
    }

    /// <summary>IOMMU_DESTROY of the slot's ID: an IOAS with only mappings is destroyed (it unmaps everything).</summary>
    public Errno Destroy(int slot)
    {
        if (Model(slot) is null)
        {
            return Errno.ENOENT;
        }

        _models[slot] = null;
        return Errno.None;
    }

    /// <summary>iommufd_ioas_map + iopt_map_user_pages + iopt_alloc_user_pages.</summary>
    public Errno Map(IommuIoasMapFlags flags, int slot, ulong userVa, ulong length, ref ulong iova)
    {
        if ((flags & ~KnownFlags) != 0)
        {
            return Errno.EOPNOTSUPP;
        }

        if (iova == Max || length == Max)
        {
            return Errno.EOVERFLOW;
        }

        if ((flags & (IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable)) == 0)
        {
            return Errno.EINVAL;
        }

        if (Model(slot) is not { } model)
        {
            return Errno.ENOENT;
        }

        // iopt_alloc_user_pages: check_add_overflow(uptr, length) first, then iopt_alloc_pages' length checks.
        if (userVa > Max - length)
        {
            return Errno.EOVERFLOW;
        }

        if (length == 0 || length > Max - IoasReferenceModel.PageSize)
        {
            return Errno.EINVAL;
        }

        var writable = (flags & IommuIoasMapFlags.Writeable) != 0;
        var spans = new[] { new ModelSpan(userVa, length, writable) };
        return model.MapSpans(spans, length, ref iova, (flags & IommuIoasMapFlags.Readable) != 0, writable, (flags & IommuIoasMapFlags.FixedIova) == 0, userVa);
    }

    /// <summary>iommufd_ioas_unmap + iopt_unmap_iova / iopt_unmap_all.</summary>
    public Errno Unmap(int slot, ulong iova, ref ulong length)
    {
        if (Model(slot) is not { } model)
        {
            return Errno.ENOENT;
        }

        if (iova == 0 && length == Max)
        {
            length = model.UnmapAll();
            return Errno.None;
        }

        if (iova == Max || length == Max)
        {
            return Errno.EOVERFLOW;
        }

        if (length == 0)
        {
            return Errno.EINVAL;
        }

        if (!IoasReferenceModel.TryLast(iova, length, out var last))
        {
            return Errno.EOVERFLOW;
        }

        var result = model.UnmapRange(iova, last, out var unmapped);
        if (result == Errno.None)
        {
            length = unmapped;
        }

        return result;
    }

    /// <summary>iommufd_ioas_copy.</summary>
    public Errno Copy(IommuIoasMapFlags flags, int dstSlot, int srcSlot, ulong length, ulong srcIova, ref ulong dstIova)
    {
        if ((flags & ~KnownFlags) != 0)
        {
            return Errno.EOPNOTSUPP;
        }

        if (length == Max || srcIova == Max || dstIova == Max)
        {
            return Errno.EOVERFLOW;
        }

        if ((flags & (IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable)) == 0)
        {
            return Errno.EINVAL;
        }

        if (Model(srcSlot) is not { } source)
        {
            return Errno.ENOENT;
        }

        var spans = new List<ModelSpan>();
        var got = source.GetPages(srcIova, length, spans);
        if (got != Errno.None)
        {
            return got;
        }

        if (Model(dstSlot) is not { } destination)
        {
            return Errno.ENOENT;
        }

        var hint = spans[0].UserVa;
        return destination.MapSpans(spans, length, ref dstIova, (flags & IommuIoasMapFlags.Readable) != 0, (flags & IommuIoasMapFlags.Writeable) != 0, (flags & IommuIoasMapFlags.FixedIova) == 0, hint);
    }

    /// <summary>IOMMU_TEST_OP_ADD_RESERVED (length ≥ 1, no wrap: the generator never asks otherwise).</summary>
    public Errno AddReserved(int slot, ulong start, ulong length)
    {
        // Refused before the IOAS lookup: an empty range, and one that wraps past the top of the IOVA space.
        if (length == 0)
        {
            return Errno.EINVAL;
        }

        if (!IoasReferenceModel.TryLast(start, length, out _))
        {
            return Errno.EOVERFLOW;
        }

        if (Model(slot) is not { } model)
        {
            return Errno.ENOENT;
        }

        return model.Reserve(start, start + length - 1);
    }

    public Errno AllowIovas(int slot, IReadOnlyList<(ulong Start, ulong Last)>? ranges, uint count)
        => Model(slot) is { } model ? model.SetAllowed(ranges, count) : Errno.ENOENT;

    public Errno IovaRanges(int slot, out List<(ulong Start, ulong Last)> ranges)
    {
        ranges = new();
        if (Model(slot) is not { } model)
        {
            return Errno.ENOENT;
        }

        ranges = model.UsableRanges();
        return Errno.None;
    }
}
