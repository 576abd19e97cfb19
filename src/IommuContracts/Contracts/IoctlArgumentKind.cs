namespace IommuContracts.Contracts;

/// <summary>What the ioctl's third argument carries.</summary>
public enum IoctlArgumentKind
{
    /// <summary>A user pointer to the command's struct.</summary>
    Pointer,

    /// <summary>An integer passed by value (the struct declares no fields).</summary>
    Value,
}
