using IommuContracts;

namespace IommuContracts.Generators.Tests.Support;

/// <summary>
/// A minimal user address space for the generator's tests: 4 KiB pages that are mapped, unmapped or
/// read-only; copies fault (EFAULT) instead of throwing. The engine has the full SimulatedProcess.
/// </summary>
public sealed class TestUserMemory : IUserMemory
{
    public const int PageSize = 4096;

    private readonly Dictionary<ulong, byte[]> _pages = new();
    private readonly HashSet<ulong> _readOnly = new();
    private ulong _next = 0x10000;

    /// <summary>Maps <paramref name="length"/> bytes (rounded up to pages) and returns the address.</summary>
    public ulong Map(int length)
    {
        var address = _next;
        var pages = (length + PageSize - 1) / PageSize;
        for (var i = 0; i < pages; i++)
        {
            _pages[address + (ulong)(i * PageSize)] = new byte[PageSize];
        }

        // Leave an unmapped guard page after every mapping.
        _next += (ulong)((pages + 1) * PageSize);
        return address;
    }

    public void Unmap(ulong address) => _pages.Remove(address & ~(ulong)(PageSize - 1));

    public void MakeReadOnly(ulong address) => _readOnly.Add(address & ~(ulong)(PageSize - 1));

    public Errno CopyFromUser(ulong address, Span<byte> destination)
    {
        for (var done = 0; done < destination.Length;)
        {
            var page = (address + (ulong)done) & ~(ulong)(PageSize - 1);
            if (!_pages.TryGetValue(page, out var bytes))
            {
                return Errno.EFAULT;
            }

            var offset = (int)(address + (ulong)done - page);
            var count = Math.Min(PageSize - offset, destination.Length - done);
            bytes.AsSpan(offset, count).CopyTo(destination[done..]);
            done += count;
        }

        return Errno.None;
    }

    public Errno CopyToUser(ulong address, ReadOnlySpan<byte> source)
    {
        // Check every page first: a faulting copy must not leave a partial write behind in these tests.
        for (var page = address & ~(ulong)(PageSize - 1); page < address + (ulong)source.Length; page += PageSize)
        {
            if (!_pages.ContainsKey(page) || _readOnly.Contains(page))
            {
                return Errno.EFAULT;
            }
        }

        for (var done = 0; done < source.Length;)
        {
            var page = (address + (ulong)done) & ~(ulong)(PageSize - 1);
            var offset = (int)(address + (ulong)done - page);
            var count = Math.Min(PageSize - offset, source.Length - done);
            source.Slice(done, count).CopyTo(_pages[page].AsSpan(offset, count));
            done += count;
        }

        return Errno.None;
    }

    public byte[] Read(ulong address, int length)
    {
        var bytes = new byte[length];
        Assert.Equal(Errno.None, CopyFromUser(address, bytes));
        return bytes;
    }

    public void Write(ulong address, ReadOnlySpan<byte> bytes) => Assert.Equal(Errno.None, CopyToUser(address, bytes));
}
