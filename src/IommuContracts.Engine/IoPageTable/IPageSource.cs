using IommuContracts.Engine.Host;

namespace IommuContracts.Engine.IoPageTable;

/// <summary>
/// Where the pages of an <see cref="IoPages"/> come from (the kernel's iopt_address_type): a range of a
/// process's virtual memory (IOAS_MAP), or a range of a file (IOAS_MAP_FILE), pinned by file page.
/// </summary>
internal interface IPageSource
{
    /// <summary>True for a file range (only those can change process with IOAS_CHANGE_PROCESS).</summary>
    bool IsFile { get; }

    /// <summary>The page-aligned start of the range: a user VA, or a file offset.</summary>
    ulong Base { get; }

    /// <summary>Pages [index, index + count) of the range for pinning (get_user_pages or memfd_pin_folios errno).</summary>
    Errno GetPages(ulong index, int count, bool write, Span<UserPage> pages);

    /// <summary>A CPU copy through the source, for pages nobody pinned (EFAULT if it cannot).</summary>
    Errno Copy(ulong byteIndex, Span<byte> data, bool write);

    /// <summary>The pages object is gone: let go of the source (a file reference).</summary>
    void Release();
}
