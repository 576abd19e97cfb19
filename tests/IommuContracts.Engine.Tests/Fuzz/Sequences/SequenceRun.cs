using System.Buffers.Binary;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support.Hosts;
using IommuContracts.Engine.Tests.Support.Recording;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Fuzz.Sequences;

/// <summary>
/// Runs a <see cref="Sequence"/> on one <see cref="IProcessHost"/>: opens /dev/iommu, keeps the mapping slots, the
/// IDs and fds the steps produced (so later steps can name "the second IOAS") and the IOVA ranges maps returned,
/// and tears everything down at the end, restoring the kernel-wide selftest memory limit.
/// </summary>
public sealed class SequenceRun
{
    /// <summary>The selftests' default temporary memory limit (a kernel-wide setting).</summary>
    public const uint DefaultTempMemoryLimit = 65536;

    /// <summary>Where a never-mapped slot points: a non-canonical address every kernel refuses (EFAULT).</summary>
    public const ulong NowhereAddress = 0xDEAD_0000_0000_0000;

    private const ulong PageSize = SimulatedProcess.PageSize;
    private const ulong SlotAlignment = 2UL << 20;
    private const int ScratchPages = 4;

    private readonly IProcessHost _host;
    private readonly Dictionary<int, (ulong Address, ulong Length)> _slots = new();
    private readonly Dictionary<PoolKind, List<ulong>> _pools = new();
    private readonly List<IovaRange> _iovas = new();
    private readonly List<int> _iommufds = new();
    private readonly HashSet<int> _openAccessFds = new();
    private ulong _arguments;

    /// <summary>A run on <paramref name="host"/>.</summary>
    public SequenceRun(IProcessHost host) => _host = host;

    /// <summary>The scratch area (arrays, driver data, bitmaps).</summary>
    public ulong ScratchAddress { get; private set; }

    /// <summary>Runs <paramref name="sequence"/> from a fresh /dev/iommu to a full teardown.</summary>
    public void Execute(Sequence sequence)
    {
        _arguments = _host.Mmap(PageSize);
        ScratchAddress = _host.Mmap(ScratchPages * PageSize);
        Open();
        SetTempMemoryLimit(_iommufds[0]);
        foreach (var step in sequence.Steps)
        {
            step.Run(this);
        }

        Teardown();
    }

    /// <summary>
    /// The <paramref name="ordinal"/>-th (modulo the count) value of <paramref name="kind"/> produced so far, counting
    /// from the latest when negative (−1 is the latest); null if none was produced.
    /// </summary>
    public ulong? Pick(PoolKind kind, int ordinal)
        => _pools.TryGetValue(kind, out var pool) && pool.Count != 0 ? pool[Index(ordinal, pool.Count)] : null;

    /// <summary>The <paramref name="ordinal"/>-th IOVA range produced (as <see cref="Pick"/> counts), or null.</summary>
    public IovaRange? PickIova(int ordinal) => _iovas.Count == 0 ? null : _iovas[Index(ordinal, _iovas.Count)];

    private static int Index(int ordinal, int count) => ordinal >= 0 ? ordinal % count : count - 1 - ((-ordinal - 1) % count);

    /// <summary>
    /// The address <paramref name="offset"/> bytes into <paramref name="slot"/> (its latest mapping, mapped or not). An
    /// offset past the mapping lands in its guard page, so "past the end" faults alike on every host: what lies
    /// further on differs between a simulated and a real process.
    /// </summary>
    public ulong AddressOf(int slot, ulong offset)
    {
        if (!_slots.TryGetValue(slot, out var mapping))
        {
            return NowhereAddress;
        }

        if (offset >= mapping.Length + PageSize)
        {
            offset = mapping.Length + (offset % PageSize);
        }

        return mapping.Address + offset;
    }

    internal void Map(int slot, int pages)
    {
        var length = (ulong)pages * PageSize;
        var address = _host.Mmap(length, MemoryProtection.ReadWrite, MmapFlags.None, SlotAlignment);
        var pattern = new byte[length];
        for (var i = 0; i < pattern.Length; i++)
        {
            pattern[i] = (byte)((slot * 61) + (i / (int)PageSize * 7) + 1);
        }

        _host.Write(address, pattern);
        _slots[slot] = (address, length);
    }

    internal void Unmap(int slot, int firstPage, int pages)
    {
        if (!_slots.TryGetValue(slot, out var mapping))
        {
            return;
        }

        var offset = Math.Min((ulong)firstPage * PageSize, mapping.Length - PageSize);
        var length = Math.Min((ulong)Math.Max(pages, 1) * PageSize, mapping.Length - offset);
        _host.Munmap(mapping.Address + offset, length);
    }

    internal void CloseAccess(int ordinal)
    {
        if (Pick(PoolKind.AccessFd, ordinal) is { } fd && _openAccessFds.Remove((int)fd))
        {
            _host.Close((int)fd);
        }
    }

    internal void Reopen()
    {
        _host.Close(_iommufds[0]);
        _iommufds.RemoveAt(0);
        Open();
    }

    internal void Ioctl(IoctlStep step)
    {
        var fd = _iommufds[0];
        if (step.OnAccessFd)
        {
            // An ioctl on an access fd: its file does not take ioctls (ENOTTY), whichever the kernel.
            if (Pick(PoolKind.AccessFd, 0) is not { } access || !_openAccessFds.Contains((int)access))
            {
                return;
            }

            fd = (int)access;
        }

        if (step.ScratchBytes is { Length: > 0 } scratch)
        {
            _host.Write(ScratchAddress + step.ScratchOffset, scratch);
        }

        var bytes = step.Build(this);
        int result;
        switch (step.Placement)
        {
            case ArgumentPlacement.Null:
                result = _host.Ioctl(fd, step.Command, 0UL);
                break;
            case ArgumentPlacement.Value:
                result = _host.Ioctl(fd, step.Command, bytes.Length >= 8 ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : 0UL);
                break;
            case ArgumentPlacement.StraddlingGuard:
                var start = _arguments + PageSize - (ulong)Math.Max(bytes.Length - 1, 1);
                _host.Write(start, bytes.AsSpan(0, Math.Max(bytes.Length - 1, 1)));
                result = _host.Ioctl(fd, step.Command, start);
                break;
            default:
                result = _host.Ioctl(fd, step.Command, bytes);
                break;
        }

        if (result == 0 && step.Placement == ArgumentPlacement.Struct)
        {
            Collect(step, bytes);
        }

        foreach (var readBack in step.ReadBacks ?? [])
        {
            var buffer = new byte[readBack.Length];
            _host.Read(readBack.Address.Resolve(this), buffer);
        }
    }

    private void Collect(IoctlStep step, byte[] after)
    {
        foreach (var product in step.Products ?? [])
        {
            var value = product.Width == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(after.AsSpan(product.Offset)) : BinaryPrimitives.ReadUInt32LittleEndian(after.AsSpan(product.Offset));
            if (!_pools.TryGetValue(product.Kind, out var pool))
            {
                _pools[product.Kind] = pool = new List<ulong>();
            }

            pool.Add(value);
            if (product.Kind == PoolKind.AccessFd)
            {
                _openAccessFds.Add((int)value);
                _host.Adopt((int)value);
            }
        }

        if (step.Iova is { } iova)
        {
            var start = BinaryPrimitives.ReadUInt64LittleEndian(after.AsSpan(iova.IovaOffset));
            var length = BinaryPrimitives.ReadUInt64LittleEndian(after.AsSpan(iova.LengthOffset));
            var (slot, offset) = iova.SourceOffset >= 0 ? SlotOf(BinaryPrimitives.ReadUInt64LittleEndian(after.AsSpan(iova.SourceOffset))) : (-1, 0UL);
            _iovas.Add(new IovaRange(start, length, slot, offset));
        }
    }

    private (int Slot, ulong Offset) SlotOf(ulong address)
    {
        foreach (var (slot, mapping) in _slots)
        {
            if (address >= mapping.Address && address - mapping.Address < mapping.Length)
            {
                return (slot, address - mapping.Address);
            }
        }

        return (-1, 0);
    }

    private void Open()
    {
        var fd = _host.OpenIommufd();
        if (fd < 0)
        {
            throw new HostUnsupportedException($"open /dev/iommu on {_host.Name}: {RecordingProcessHost.Text(fd)}");
        }

        _iommufds.Add(fd);
    }

    private void SetTempMemoryLimit(int fd)
    {
        var payload = new IommuTestPayload { MemoryLimit = new TestMemoryLimit { Limit = DefaultTempMemoryLimit } };
        _host.File(fd).TestCmd(IommuTestOp.SetTempMemoryLimit, ObjectId.None, ref payload);
    }

    // Access fds hold the context: close them first, then restore the kernel-wide limit and close /dev/iommu.
    private void Teardown()
    {
        foreach (var access in _openAccessFds.OrderBy(fd => fd).ToList())
        {
            _host.Close(access);
        }

        _openAccessFds.Clear();
        SetTempMemoryLimit(_iommufds[0]);
        foreach (var fd in _iommufds)
        {
            _host.Close(fd);
        }

        _iommufds.Clear();
    }
}
