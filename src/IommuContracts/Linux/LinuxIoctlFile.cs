using IommuContracts.Contracts;

namespace IommuContracts.Linux;

/// <summary>
/// A real device node opened with <c>open(path, O_RDWR | O_CLOEXEC)</c> that the generated typed stubs drive
/// through <c>ioctl(2)</c>. Each ioctl passes the address of the stub's struct, pinned for the call, and
/// returns what the kernel returns: a non-negative value, or <c>-errno</c>; no syscall failure throws.
/// </summary>
/// <remarks>
/// User pointers inside the structs (<c>user_va</c>, <c>allowed_iovas</c>, <c>data_uptr</c>, ...) are read by
/// the kernel at that address in this process, so they must be real addresses that stay valid (and, for
/// mappings, unmoved) for as long as the kernel uses them: memory from <see cref="AnonymousMapping"/>, from
/// <c>NativeMemory.AlignedAlloc</c>, or a pinned array (<c>GC.AllocateArray(pinned: true)</c>); never the
/// address of a managed object the GC can move. <see cref="LinuxProcessMemory"/> reads and writes such
/// addresses with EFAULT instead of a crash, like <c>SimulatedProcess.Read</c> / <c>Write</c>.
/// </remarks>
public abstract class LinuxIoctlFile : IIoctlFile, IDisposable
{
    /// <summary>
    /// What opening answers on an OS or architecture this backend does not support: ENOSYS ("not implemented
    /// here"), distinct from ENOENT (a Linux host without the node) and from EOPNOTSUPP, which iommufd itself
    /// answers for unsupported flags.
    /// </summary>
    public const Errno UnsupportedPlatformErrno = Errno.ENOSYS;

    private readonly LinuxFileDescriptor _descriptor;

    private protected LinuxIoctlFile(LinuxFileDescriptor descriptor) => _descriptor = descriptor;

    /// <summary>
    /// True on Linux on x86-64, arm64, riscv64 and loongarch64, where this library's ioctl numbers, struct
    /// layouts and errno values are the kernel's. Elsewhere every open is <see cref="UnsupportedPlatformErrno"/>.
    /// </summary>
    public static bool IsSupported => LinuxSyscalls.IsSupportedPlatform;

    /// <inheritdoc />
    public int Fd => _descriptor.IsCloseRequested ? -1 : _descriptor.Number;

    /// <summary>True once <see cref="Dispose()"/> ran; every later ioctl is EBADF.</summary>
    public bool IsClosed => _descriptor.IsCloseRequested;

    /// <inheritdoc />
    [RawIoctl]
    public int Ioctl(uint command, Span<byte> argument) => _descriptor.Ioctl(command, argument);

    /// <inheritdoc />
    [RawIoctl]
    public int Ioctl(uint command, ulong value) => _descriptor.Ioctl(command, (nuint)value);

    /// <inheritdoc />
    /// <remarks>The kernel writes straight into <paramref name="buffer"/>, pinned for the call: no copy.</remarks>
    [RawIoctl]
    public int Ioctl(uint command, Span<byte> argument, int pointerOffset, Span<byte> buffer)
        => _descriptor.Ioctl(command, argument, pointerOffset, buffer);

    /// <summary>
    /// Closes the fd. Closing again does nothing; a close racing an ioctl waits for it to return. The analyzers see
    /// it as the file's release: a file opened and never disposed is a leak, one used after it is IOMMU0002.
    /// </summary>
    [Releases]
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public override string ToString() => IsClosed ? "closed fd" : $"fd {Fd}";

    /// <summary>Releases the fd; the handle's own finalizer closes it if this object is never disposed.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _descriptor.Dispose();
        }
    }

    private protected static Errno OpenDescriptor(ILinuxSyscalls syscalls, string path, out LinuxFileDescriptor? descriptor)
        => LinuxFileDescriptor.Open(syscalls, path, out descriptor);
}
