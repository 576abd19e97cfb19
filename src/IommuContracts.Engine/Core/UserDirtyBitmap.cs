namespace IommuContracts.Engine.Core;

/// <summary>
/// The user's bitmap of HWPT_GET_DIRTY_BITMAP (the kernel's iova_bitmap): bit i stands for the page_size unit i
/// counted from the base IOVA. Bits are ORed into user memory while the dirty PTEs are walked; adjacent units are
/// merged into runs and written through one small buffer, so the cost follows the dirty memory, never one entry
/// per bit. User bitmaps need not be aligned.
/// </summary>
internal sealed class UserDirtyBitmap
{
    private const int ChunkBytes = 4096;

    private readonly IUserMemory _memory;
    private readonly ulong _address;
    private readonly ulong _baseIova;
    private readonly ulong _pageSize;
    private readonly byte[] _chunk = new byte[ChunkBytes];
    private bool _pending;
    private ulong _pendingFirst;
    private ulong _pendingLast;

    public UserDirtyBitmap(IUserMemory memory, ulong address, ulong baseIova, ulong pageSize)
    {
        _memory = memory;
        _address = address;
        _baseIova = baseIova;
        _pageSize = pageSize;
    }

    /// <summary>EFAULT once a write to the bitmap failed.</summary>
    public Errno Result { get; private set; }

    /// <summary>Sets the bits of the units that [iova, last] touches; false once the bitmap could not be written (stop the walk).</summary>
    public bool Set(ulong iova, ulong last)
    {
        var first = (iova - _baseIova) / _pageSize;
        var lastUnit = (last - _baseIova) / _pageSize;
        if (_pending && first <= _pendingLast + 1)
        {
            _pendingLast = Math.Max(_pendingLast, lastUnit);
            return true;
        }

        if (_pending && !Flush())
        {
            return false;
        }

        _pending = true;
        _pendingFirst = first;
        _pendingLast = lastUnit;
        return true;
    }

    /// <summary>Writes the run still pending and returns the result of the whole walk.</summary>
    public Errno Complete()
    {
        if (_pending)
        {
            Flush();
        }

        return Result;
    }

    // Read-modify-write of the bytes under the pending run, at most ChunkBytes at a time.
    private bool Flush()
    {
        _pending = false;
        var unit = _pendingFirst;
        while (true)
        {
            var firstByte = unit / 8;
            var length = (int)Math.Min(ChunkBytes, (_pendingLast / 8) - firstByte + 1);
            var bytes = _chunk.AsSpan(0, length);
            if (!IoPageTable.Overflow.TryAdd(_address, firstByte, out var at)
                || _memory.CopyFromUser(at, bytes) != Errno.None)
            {
                Result = Errno.EFAULT;
                return false;
            }

            var chunkLast = Math.Min(_pendingLast, ((firstByte + (ulong)length) * 8) - 1);
            SetBits(bytes, unit - (firstByte * 8), chunkLast - (firstByte * 8));
            if (_memory.CopyToUser(at, bytes) != Errno.None)
            {
                Result = Errno.EFAULT;
                return false;
            }

            if (chunkLast == _pendingLast)
            {
                return true;
            }

            unit = chunkLast + 1;
        }
    }

    // Bits [first, last] counted from the first byte of bytes; whole bytes at once where possible.
    private static void SetBits(Span<byte> bytes, ulong first, ulong last)
    {
        for (var bit = first; bit <= last;)
        {
            if (bit % 8 == 0 && bit + 7 <= last)
            {
                bytes[(int)(bit / 8)] = 0xFF;
                bit += 8;
            }
            else
            {
                bytes[(int)(bit / 8)] |= (byte)(1 << (int)(bit % 8));
                bit++;
            }
        }
    }
}
