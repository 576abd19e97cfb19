using IommuContracts.Engine.Host;
using IommuContracts.Engine.Kapi;

namespace IommuContracts.Engine.Drivers;

/// <summary>
/// The selftest access driver (selftest_access): an fd that owns an access and the ranges pinned through
/// it. Its unmap callback unpins every item the unmapped range touches, as a correct driver must; closing
/// the fd unpins everything and destroys the access.
/// </summary>
internal sealed class SelftestAccessFile : OpenFile, IIommufdAccessOps
{
    private readonly object _lock = new();
    private readonly List<Item> _items = new();
    private uint _nextItem;

    public SelftestAccessFile(bool needsPinPages) => NeedsPinPages = needsPinPages;

    public IommufdAccess? Access { get; set; }

    public bool NeedsPinPages { get; }

    public override string Name => "[iommufd_test_staccess]";

    public override int Ioctl(SimulatedProcess caller, uint command, ulong argument) => Errno.ENOTTY.ToSyscallResult();

    /// <summary>Records a pinned range and returns its item ID.</summary>
    public uint AddItem(ulong iova, ulong length)
    {
        lock (_lock)
        {
            var item = new Item(_nextItem++, iova, length);
            _items.Add(item);
            return item.Id;
        }
    }

    /// <summary>DESTROY_ACCESS_PAGES: unpins one item; false if it does not exist (any more).</summary>
    public bool DestroyItem(uint id)
    {
        lock (_lock)
        {
            var item = _items.Find(i => i.Id == id);
            if (item is null)
            {
                return false;
            }

            _items.Remove(item);
            Iommufd.AccessUnpinPages(Access!, item.Iova, item.Length);
            return true;
        }
    }

    /// <summary>Holds the driver's lock around a pin, so an unmap cannot slip in between pin and bookkeeping.</summary>
    public T WithLock<T>(Func<T> action)
    {
        lock (_lock)
        {
            return action();
        }
    }

    public void Unmap(ulong iova, ulong length)
    {
        var last = iova + length - 1;
        lock (_lock)
        {
            foreach (var item in _items.Where(i => iova <= i.Iova + i.Length - 1 && last >= i.Iova).ToList())
            {
                _items.Remove(item);
                Iommufd.AccessUnpinPages(Access!, item.Iova, item.Length);
            }
        }
    }

    protected override void Release()
    {
        if (Access is { } access)
        {
            Unmap(0, ulong.MaxValue);
            Iommufd.AccessDestroy(access);
        }
    }

    private sealed record Item(uint Id, ulong Iova, ulong Length);
}
