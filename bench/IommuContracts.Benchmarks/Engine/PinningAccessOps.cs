using IommuContracts.Engine.Kapi;

namespace IommuContracts.Benchmarks.Engine;

/// <summary>
/// The ops of an emulated-DMA driver that pins through iommufd_access_pin_pages: it remembers what it pinned
/// and, as the contract requires, unpins whatever an IOAS unmap covers before returning.
/// </summary>
internal sealed class PinningAccessOps : IIommufdAccessOps
{
    private readonly List<(ulong Iova, ulong Length)> _pinned = new();

    public IommufdAccess? Access { get; set; }

    public bool NeedsPinPages => true;

    public Errno Pin(ulong iova, ulong length, out int pages)
    {
        var result = Iommufd.AccessPinPages(Access!, iova, length, write: true, out var pinned);
        pages = pinned.Length;
        if (result == Errno.None)
        {
            _pinned.Add((iova, length));
        }

        return result;
    }

    public void Unpin(ulong iova, ulong length)
    {
        if (_pinned.Remove((iova, length)))
        {
            Iommufd.AccessUnpinPages(Access!, iova, length);
        }
    }

    public void Unmap(ulong iova, ulong length)
    {
        var last = iova + length - 1;
        foreach (var range in _pinned.Where(p => p.Iova <= last && iova <= p.Iova + p.Length - 1).ToList())
        {
            Unpin(range.Iova, range.Length);
        }
    }
}
