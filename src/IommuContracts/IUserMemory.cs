namespace IommuContracts;

/// <summary>
/// User memory as the kernel sees it through copy_from_user / copy_to_user: any address may be unmapped or
/// protected, and then the copy fails with <see cref="Errno.EFAULT"/> instead of throwing.
/// </summary>
public interface IUserMemory
{
    Errno CopyFromUser(ulong address, Span<byte> destination);

    Errno CopyToUser(ulong address, ReadOnlySpan<byte> source);
}
