namespace IommuContracts.Engine.Host;

/// <summary>
/// A dma-buf: a file whose memory belongs to an exporting driver. Importers attach dynamically, receive the
/// physical memory from the exporter (iommufd's private interconnect, not a scatterlist), and are told through
/// move_notify when the exporter revokes it. The file has no read, write or mmap of its own here (the
/// selftest exporter has no mmap op, so mmap is EINVAL) and answers no ioctl.
/// </summary>
internal abstract class DmaBufFile : OpenFile
{
    private readonly object _reservation = new();
    private readonly List<IDmaBufImporter> _attachments = new();

    protected DmaBufFile(ulong size) => Size = size;

    /// <summary>The exported size in bytes (a multiple of the page size).</summary>
    public ulong Size { get; }

    public override string Name => "dmabuf";

    /// <summary>Importers attached now.</summary>
    public int Attachments
    {
        get
        {
            lock (_reservation)
            {
                return _attachments.Count;
            }
        }
    }

    public override int Ioctl(SimulatedProcess caller, uint command, ulong argument) => Errno.ENOTTY.ToSyscallResult();

    public override Errno Mmap(ulong length, MemoryProtection protection, bool shared, ulong offset, out IVmaBacking? backing, out ulong firstPage)
    {
        backing = null;
        firstPage = 0;
        return Errno.EINVAL;
    }

    /// <summary>
    /// dma_buf_dynamic_attach followed by the exporter's map, under the reservation lock: the memory as pages
    /// in order, or the exporter's errno (nothing stays attached then).
    /// </summary>
    public Errno Attach(IDmaBufImporter importer, out IReadOnlyList<UserPage> memory)
    {
        lock (_reservation)
        {
            var mapped = MapForImporter(out memory);
            if (mapped == Errno.None)
            {
                _attachments.Add(importer);
            }

            return mapped;
        }
    }

    /// <summary>dma_buf_detach.</summary>
    public void Detach(IDmaBufImporter importer)
    {
        lock (_reservation)
        {
            _attachments.Remove(importer);
        }
    }

    /// <summary>Runs <paramref name="change"/> under the reservation lock, then dma_buf_move_notify to every importer.</summary>
    protected void ChangeAndNotify(Action change)
    {
        lock (_reservation)
        {
            change();
            foreach (var importer in _attachments.ToArray())
            {
                importer.MoveNotify();
            }
        }
    }

    /// <summary>The exporter's answer to an importer asking for the memory (ENODEV once revoked, for example).</summary>
    protected abstract Errno MapForImporter(out IReadOnlyList<UserPage> memory);
}
