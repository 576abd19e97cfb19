namespace IommuContracts.Engine.IoPageTable;

/// <summary>What an io_pagetable needs from an attached in-kernel access: its alignment and its unmap callback.</summary>
internal interface IIoptAccess
{
    /// <summary>PAGE_SIZE for accesses that pin pages, else 1.</summary>
    ulong IovaAlignment { get; }

    /// <summary>
    /// ops->unmap: user space is unmapping [iova, iova + length); the access must unpin everything it pinned
    /// there before returning. Called without the io_pagetable lock held.
    /// </summary>
    void NotifyUnmap(ulong iova, ulong length);
}
