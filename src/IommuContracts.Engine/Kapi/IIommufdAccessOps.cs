namespace IommuContracts.Engine.Kapi;

/// <summary>
/// iommufd_access_ops: what an access-based (emulated-DMA) driver tells iommufd. A driver that pins pages
/// must say so and must unpin, before <see cref="Unmap"/> returns, every range it pinned inside the
/// range being unmapped; otherwise user space's IOAS_UNMAP fails with EDEADLOCK.
/// </summary>
public interface IIommufdAccessOps
{
    /// <summary>The driver calls <see cref="Iommufd.AccessPinPages"/> (its IOVA alignment becomes PAGE_SIZE).</summary>
    bool NeedsPinPages { get; }

    /// <summary>User space is unmapping [iova, iova + length): unpin everything pinned there now.</summary>
    [IommuContracts.Contracts.MustUnpinInUnmap]
    void Unmap(ulong iova, ulong length);
}
