using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.Drivers;

/// <summary>
/// The selftest's dma-buf exporter (IOMMU_TEST_OP_DMABUF_GET): zeroed kernel memory of up to 512 pages that
/// IOMMU_TEST_OP_DMABUF_REVOKE can revoke and restore. Importers asking while it is revoked get ENODEV; each
/// revoke or restore notifies every importer, which stop using what they were given.
/// </summary>
internal sealed class SelftestDmaBuf : DmaBufFile
{
    /// <summary>The largest buffer the selftest exports.</summary>
    public const int MaxPages = 512;

    private readonly UserPage[] _memory;
    private bool _revoked;

    private SelftestDmaBuf(PhysicalMemory physical, int pages)
        : base((ulong)pages * SimulatedProcess.PageSize)
    {
        _memory = new UserPage[pages];
        for (var i = 0; i < pages; i++)
        {
            // Kernel memory is always reachable by physical address: hold it pinned for the buffer's life.
            _memory[i] = physical.AllocatePage();
            _memory[i].Pin();
        }
    }

    /// <summary>Whether the exporter has revoked the memory.</summary>
    public bool Revoked => Volatile.Read(ref _revoked);

    /// <summary>iommufd_test_dmabuf_get: the length rounds up to pages; EINVAL for none or more than 512.</summary>
    public static Errno Create(PhysicalMemory physical, ulong length, out SelftestDmaBuf? buffer)
    {
        buffer = null;
        var pages = (length + SimulatedProcess.PageSize - 1) / SimulatedProcess.PageSize;
        if (pages == 0 || pages > MaxPages)
        {
            return Errno.EINVAL;
        }

        buffer = new SelftestDmaBuf(physical, (int)pages);
        return Errno.None;
    }

    /// <summary>The physical address of byte <paramref name="offset"/> of the buffer.</summary>
    public ulong PhysicalAddressOf(ulong offset)
        => _memory[(int)(offset / SimulatedProcess.PageSize)].PhysicalAddress + (offset % SimulatedProcess.PageSize);

    /// <summary>iommufd_test_dmabuf_revoke: sets the revoked state and notifies every importer (restoring too).</summary>
    public void SetRevoked(bool revoked) => ChangeAndNotify(() => Volatile.Write(ref _revoked, revoked));

    protected override Errno MapForImporter(out IReadOnlyList<UserPage> memory)
    {
        if (Revoked)
        {
            memory = Array.Empty<UserPage>();
            return Errno.ENODEV;
        }

        memory = _memory;
        return Errno.None;
    }

    protected override void Release()
    {
        foreach (var page in _memory)
        {
            page.Unpin();
        }
    }
}
