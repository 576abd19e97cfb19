namespace IommuContracts.Engine.Tests.Fuzz.Sequences;

/// <summary>What a sequence step can refer to by "the k-th one produced so far": IDs, fds and items a run collects.</summary>
public enum PoolKind
{
    /// <summary>IOAS IDs (IOAS_ALLOC).</summary>
    Ioas,

    /// <summary>Paging HWPT IDs (HWPT_ALLOC on an IOAS, MOCK_DOMAIN's HWPT).</summary>
    HwptPaging,

    /// <summary>Nested HWPT IDs (HWPT_ALLOC on a paging HWPT).</summary>
    HwptNested,

    /// <summary>Device IDs (MOCK_DOMAIN's idev).</summary>
    Device,

    /// <summary>Selftest object IDs (MOCK_DOMAIN's stdev).</summary>
    Stdev,

    /// <summary>Access fds (CREATE_ACCESS).</summary>
    AccessFd,

    /// <summary>Access-pages item IDs (ACCESS_PAGES).</summary>
    AccessItem,

    /// <summary>Paging HWPT IDs allocated with NEST_PARENT (what a nested HWPT needs).</summary>
    NestParent,

    /// <summary>Paging HWPT IDs allocated with DIRTY_TRACKING (what the dirty ioctls need).</summary>
    DirtyHwpt,
}
