namespace IommuContracts.Linux;

/// <summary>
/// The system calls the real-kernel backend makes, and the seam tests replace to see exactly what the kernel
/// would be handed. File calls answer like the syscall does through the engine: a non-negative result or
/// <c>-errno</c>; memory calls answer with an <see cref="Errno"/>, like <see cref="IUserMemory"/>.
/// </summary>
internal interface ILinuxSyscalls
{
    /// <summary>open(2) with no mode (nothing is created): the new fd, or <c>-errno</c>.</summary>
    int Open(string path, int flags);

    /// <summary>ioctl(2): <paramref name="argument"/> is the third register, a struct's address or a plain value.</summary>
    int Ioctl(int fd, nuint request, nuint argument);

    /// <summary>close(2).</summary>
    int Close(int fd);

    /// <summary>mmap(2) of private anonymous read-write memory.</summary>
    Errno MapAnonymous(nuint length, out nuint address);

    /// <summary>munmap(2).</summary>
    Errno Unmap(nuint address, nuint length);

    /// <summary>Copies from this process's memory at <paramref name="address"/>; EFAULT where it is not readable.</summary>
    Errno ReadMemory(nuint address, Span<byte> destination);

    /// <summary>Copies to this process's memory at <paramref name="address"/>; EFAULT where it is not writable.</summary>
    Errno WriteMemory(nuint address, ReadOnlySpan<byte> source);
}
