namespace IommuContracts.Engine.Host;

/// <summary>PROT_* bits of a mapping in the simulated process.</summary>
[Flags]
public enum MemoryProtection
{
    /// <summary>PROT_NONE: every access faults.</summary>
    None = 0,

    /// <summary>PROT_READ.</summary>
    Read = 1,

    /// <summary>PROT_WRITE.</summary>
    Write = 2,

    /// <summary>PROT_READ | PROT_WRITE.</summary>
    ReadWrite = Read | Write,

    /// <summary>PROT_EXEC: only asked for, never needed by the engine; MMIO mappings refuse it (EPERM).</summary>
    Exec = 4,
}
