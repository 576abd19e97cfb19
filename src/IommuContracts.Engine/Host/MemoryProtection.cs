namespace IommuContracts.Engine.Host;

/// <summary>PROT_* bits of a mapping in the simulated process.</summary>
[Flags]
public enum MemoryProtection
{
    None = 0,
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,
}
