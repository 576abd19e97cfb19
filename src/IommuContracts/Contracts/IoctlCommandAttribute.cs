namespace IommuContracts.Contracts;

/// <summary>
/// Declares a <c>partial struct</c> as the argument of one ioctl, <c>_IO(type, number)</c>. The generator
/// emits its command number, size, minimum size, validation, and a typed client stub.
/// </summary>
[AttributeUsage(AttributeTargets.Struct, Inherited = false)]
public sealed class IoctlCommandAttribute : Attribute
{
    /// <summary>Declares the command <c>_IO(type, number)</c>.</summary>
    /// <param name="type">The ioctl magic (0x3B for iommufd and VFIO).</param>
    /// <param name="number">The ioctl number within the magic.</param>
    public IoctlCommandAttribute(byte type, byte number)
    {
        Type = type;
        Number = number;
    }

    /// <summary>The ioctl magic (<c>';'</c> = 0x3B for iommufd and VFIO).</summary>
    public byte Type { get; }

    /// <summary>The ioctl number within the magic.</summary>
    public byte Number { get; }

    /// <summary>The kernel's macro name, for documentation and messages (e.g. <c>IOMMU_IOAS_MAP</c>).</summary>
    public string? Name { get; set; }

    /// <summary>The name of the generated client stub; the struct name when not set.</summary>
    public string? StubName { get; set; }

    /// <summary>Whose rules the argument follows: iommufd's <c>size</c> header or VFIO's <c>argsz</c>.</summary>
    public IoctlConvention Convention { get; set; } = IoctlConvention.Iommufd;

    /// <summary>Whether the argument is a pointer to this struct or a plain integer.</summary>
    public IoctlArgumentKind Argument { get; set; } = IoctlArgumentKind.Pointer;

    /// <summary>Overrides how the struct is read from user memory (default: by convention).</summary>
    public IoctlCopyIn CopyIn { get; set; } = IoctlCopyIn.ByConvention;

    /// <summary>Overrides what is copied back on success (default: by convention).</summary>
    public IoctlResponse Response { get; set; } = IoctlResponse.ByConvention;

    /// <summary>An explicit minimum size; 0 derives it from <see cref="LastMandatoryAttribute"/> (or sizeof).</summary>
    public int MinimumSize { get; set; }

    /// <summary>The state the file must be in for this command (the stub's file parameter gets <see cref="RequiresStateAttribute"/>).</summary>
    public string? StubRequiresState { get; set; }

    /// <summary>The rule reported when <see cref="StubRequiresState"/> does not hold.</summary>
    public string? StubStateRule { get; set; }

    /// <summary>The state the file is in after this command succeeds (the stub's file parameter gets <see cref="TransitionsToAttribute"/>).</summary>
    public string? StubTransitionsTo { get; set; }

    /// <summary>What the command does to the caller's knowledge of the IOVA ranges (the stub gets <see cref="IovaRangesAttribute"/>).</summary>
    public IovaRangesEffect IovaRanges { get; set; }
}
