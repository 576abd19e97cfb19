namespace IommuContracts.Engine.Kapi;

/// <summary>IOMMUFD_ACCESS_RW_* flags of <see cref="Iommufd.AccessRw"/>.</summary>
[Flags]
public enum AccessRwFlags
{
    /// <summary>Read from the IOAS into the buffer.</summary>
    Read = 0,

    /// <summary>Write the buffer into the IOAS.</summary>
    Write = 1 << 0,

    /// <summary>Called from a kernel thread (kthread_use_mm); no different here.</summary>
    KThread = 1 << 1,

    /// <summary>Force the slow path (selftests only).</summary>
    SlowPath = 1 << 2,
}
