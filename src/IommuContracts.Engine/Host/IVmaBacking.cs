namespace IommuContracts.Engine.Host;

/// <summary>
/// What a mapping shows when it is not anonymous memory: a file's pages (a memfd) or device memory
/// (VM_PFNMAP). Each VMA holds one reference (vm_ops open / close, or the file reference of a file mapping).
/// </summary>
internal interface IVmaBacking
{
    /// <summary>get_user_pages may pin these pages; VM_PFNMAP memory cannot be pinned (EFAULT).</summary>
    bool CanPin { get; }

    /// <summary>Huge (2 MiB) pages: the mapping must be 2 MiB aligned.</summary>
    bool Huge { get; }

    /// <summary>The page at <paramref name="index"/> of the backing, created on first touch if asked; null past its end (SIGBUS).</summary>
    UserPage? PageAt(ulong index, bool create);

    /// <summary>A VMA starts showing the backing (vm_ops->open, get_file).</summary>
    void Opened();

    /// <summary>A VMA stops showing the backing (vm_ops->close, fput).</summary>
    void Closed();
}
