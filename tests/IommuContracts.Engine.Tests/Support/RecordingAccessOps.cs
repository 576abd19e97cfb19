using IommuContracts.Engine.Kapi;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// An emulated-DMA driver's access ops for tests: pins through <see cref="Pin"/> are remembered, and the
/// unmap callback unpins every remembered range it intersects (a correct driver), or, with
/// <see cref="UnpinOnUnmap"/> false, only records the request (the K18 bug). Every callback is recorded.
/// </summary>
internal sealed class RecordingAccessOps : IIommufdAccessOps
{
    private readonly object _lock = new();
    private readonly List<(ulong Iova, ulong Length)> _pinned = new();
    private readonly List<(ulong Iova, ulong Length)> _unmapCalls = new();

    public RecordingAccessOps(bool needsPinPages = true, bool unpinOnUnmap = true)
    {
        NeedsPinPages = needsPinPages;
        UnpinOnUnmap = unpinOnUnmap;
    }

    public bool NeedsPinPages { get; }

    public bool UnpinOnUnmap { get; set; }

    public IommufdAccess? Access { get; set; }

    public IReadOnlyList<(ulong Iova, ulong Length)> UnmapCalls
    {
        get
        {
            lock (_lock)
            {
                return _unmapCalls.ToArray();
            }
        }
    }

    public IReadOnlyList<(ulong Iova, ulong Length)> Pinned
    {
        get
        {
            lock (_lock)
            {
                return _pinned.ToArray();
            }
        }
    }

    /// <summary>Pins through the kAPI and remembers the range on success.</summary>
    public Errno Pin(ulong iova, ulong length, bool write = true)
    {
        lock (_lock)
        {
            var result = Iommufd.AccessPinPages(Access!, iova, length, write, out var pages);
            if (result == Errno.None)
            {
                Assert.Equal((int)((((iova + length - 1) / 4096) - (iova / 4096)) + 1), pages.Length);
                _pinned.Add((iova, length));
            }

            return result;
        }
    }

    /// <summary>Unpins a remembered range; false if the unmap callback already did.</summary>
    public bool Unpin(ulong iova, ulong length)
    {
        lock (_lock)
        {
            if (!_pinned.Remove((iova, length)))
            {
                return false;
            }

            Iommufd.AccessUnpinPages(Access!, iova, length);
            return true;
        }
    }

    public void Unmap(ulong iova, ulong length)
    {
        var last = length == 0 ? iova : iova + length - 1;
        lock (_lock)
        {
            _unmapCalls.Add((iova, length));
            if (!UnpinOnUnmap)
            {
                return;
            }

            foreach (var range in _pinned.Where(p => p.Iova <= last && iova <= p.Iova + p.Length - 1).ToList())
            {
                _pinned.Remove(range);
                Iommufd.AccessUnpinPages(Access!, range.Iova, range.Length);
            }
        }
    }
}
