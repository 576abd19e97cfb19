namespace IommuContracts.Ioctl;

/// <summary>
/// The per-struct pieces of argument handling, generated from the field attributes; everything else is
/// written once in <see cref="IoctlArguments"/>.
/// </summary>
public interface IIoctlStruct<TSelf> : IIoctlCommand
    where TSelf : unmanaged, IIoctlStruct<TSelf>
{
    /// <summary>Reserved fields and unknown flag bits, in declaration order.</summary>
    static abstract Errno ValidateFields(in TSelf value);

    /// <summary>The size the set flags require (minimum plus flag-gated tails); VFIO copy-in only.</summary>
    static abstract int RequiredSize(in TSelf value);

    /// <summary>Writes the output fields back (for <c>IoctlResponse.OutputFields</c>).</summary>
    static abstract Errno WriteOutputFields(IUserMemory memory, ulong address, in TSelf value);

    /// <summary>Zeroes the progress fields reported when a command fails before its handler ran.</summary>
    static abstract void ClearReportedFields(ref TSelf value);
}
