namespace IommuContracts.Linux;

/// <summary>
/// This process's memory, read and written by address the way the kernel does with copy_from_user /
/// copy_to_user: an unmapped or read-only address is <see cref="Errno.EFAULT"/>, never a crash. The
/// real-process twin of <c>SimulatedProcess.Read</c> / <c>Write</c>, e.g. to read the IOVA ranges
/// IOMMU_IOAS_IOVA_RANGES wrote to an <see cref="AnonymousMapping"/>.
/// </summary>
/// <remarks>
/// Each copy is one process_vm_readv / process_vm_writev on this process, so a seccomp policy that forbids
/// those syscalls makes every copy fail with its errno (EPERM), and a kernel built without
/// CONFIG_CROSS_MEMORY_ATTACH answers <see cref="Errno.ENOSYS"/> for every copy.
/// </remarks>
public sealed class LinuxProcessMemory : IUserMemory
{
    private readonly ILinuxSyscalls _syscalls;

    internal LinuxProcessMemory(ILinuxSyscalls syscalls) => _syscalls = syscalls;

    /// <summary>The memory of the running process.</summary>
    public static LinuxProcessMemory Current { get; } = new(LinuxSyscalls.Current);

    /// <summary>Copies <paramref name="destination"/>.Length bytes from <paramref name="address"/>.</summary>
    public Errno Read(ulong address, Span<byte> destination) => _syscalls.ReadMemory((nuint)address, destination);

    /// <summary>Copies <paramref name="source"/> to <paramref name="address"/>.</summary>
    public Errno Write(ulong address, ReadOnlySpan<byte> source) => _syscalls.WriteMemory((nuint)address, source);

    Errno IUserMemory.CopyFromUser(ulong address, Span<byte> destination) => Read(address, destination);

    Errno IUserMemory.CopyToUser(ulong address, ReadOnlySpan<byte> source) => Write(address, source);
}
