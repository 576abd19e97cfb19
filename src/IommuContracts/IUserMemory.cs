namespace IommuContracts;

/// <summary>
/// User memory as the kernel sees it through copy_from_user / copy_to_user: any address may be unmapped or
/// protected, and then the copy fails with <see cref="Errno.EFAULT"/> instead of throwing.
/// </summary>
public interface IUserMemory
{
    /// <summary>Reads user memory, like copy_from_user.</summary>
    /// <param name="address">The user virtual address to read from.</param>
    /// <param name="destination">Receives <c>destination.Length</c> bytes.</param>
    /// <returns><see cref="Errno.None"/>, or <see cref="Errno.EFAULT"/> if any byte is not readable.</returns>
    Errno CopyFromUser(ulong address, Span<byte> destination);

    /// <summary>Writes user memory, like copy_to_user.</summary>
    /// <param name="address">The user virtual address to write to.</param>
    /// <param name="source">The bytes to write.</param>
    /// <returns><see cref="Errno.None"/>, or <see cref="Errno.EFAULT"/> if any byte is not writable.</returns>
    Errno CopyToUser(ulong address, ReadOnlySpan<byte> source);
}
