using System.Runtime.InteropServices;

namespace IommuContracts.Linux;

/// <summary>
/// The syscalls through libc (source-generated P/Invoke). errno is read with
/// <see cref="Marshal.GetLastPInvokeError"/> right after each call and returned as a value: a failing syscall
/// never throws. Only reached on a platform <see cref="LinuxSyscalls.IsSupportedPlatform"/> accepts.
/// </summary>
internal sealed unsafe partial class NativeLinuxSyscalls : ILinuxSyscalls
{
    private const string LibC = "libc";

    // Generic Linux values (asm-generic/mman-common.h, shared by x86-64, arm64, riscv64 and loongarch64).
    private const int ProtRead = 0x1;
    private const int ProtWrite = 0x2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymousFlag = 0x20;

    private NativeLinuxSyscalls()
    {
    }

    public static NativeLinuxSyscalls Instance { get; } = new();

    public int Open(string path, int flags)
    {
        var fd = NativeOpen(path, flags, 0);
        return fd >= 0 ? fd : LastErrno().ToSyscallResult();
    }

    public int Ioctl(int fd, nuint request, nuint argument)
    {
        var result = NativeIoctl(fd, request, argument);
        return result >= 0 ? result : LastErrno().ToSyscallResult();
    }

    public int Close(int fd) => NativeClose(fd) == 0 ? 0 : LastErrno().ToSyscallResult();

    public Errno MapAnonymous(nuint length, out nuint address)
    {
        var mapped = NativeMmap(0, length, ProtRead | ProtWrite, MapPrivate | MapAnonymousFlag, -1, 0);
        if (mapped == -1)
        {
            address = 0;
            return LastErrno();
        }

        address = (nuint)mapped;
        return Errno.None;
    }

    public Errno Unmap(nuint address, nuint length) => NativeMunmap(address, length) == 0 ? Errno.None : LastErrno();

    // process_vm_readv/writev on our own pid: the kernel walks the page tables, so an unmapped or protected
    // address is EFAULT instead of a SIGSEGV that would end the runtime.
    public Errno ReadMemory(nuint address, Span<byte> destination)
    {
        if (destination.IsEmpty)
        {
            return Errno.None;
        }

        fixed (byte* local = destination)
        {
            var localVector = new IoVector((nuint)local, (nuint)destination.Length);
            var remoteVector = new IoVector(address, (nuint)destination.Length);
            var copied = NativeProcessVmReadv(Environment.ProcessId, &localVector, 1, &remoteVector, 1, 0);
            return Transferred(copied, destination.Length);
        }
    }

    public Errno WriteMemory(nuint address, ReadOnlySpan<byte> source)
    {
        if (source.IsEmpty)
        {
            return Errno.None;
        }

        fixed (byte* local = source)
        {
            var localVector = new IoVector((nuint)local, (nuint)source.Length);
            var remoteVector = new IoVector(address, (nuint)source.Length);
            var copied = NativeProcessVmWritev(Environment.ProcessId, &localVector, 1, &remoteVector, 1, 0);
            return Transferred(copied, source.Length);
        }
    }

    // A short transfer means the copy ran into an unmapped page: copy_{from,to}_user calls that EFAULT.
    private static Errno Transferred(nint copied, int expected)
        => copied < 0 ? LastErrno() : copied == expected ? Errno.None : Errno.EFAULT;

    private static Errno LastErrno()
    {
        var errno = Marshal.GetLastPInvokeError();

        // A failed call always sets errno; if the C library did not, still answer with a failure.
        return errno > 0 ? (Errno)errno : Errno.EIO;
    }

    [LibraryImport(LibC, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int NativeOpen(string path, int flags, uint mode);

    // ioctl is variadic in C; on the supported ABIs the third argument travels in the same register as a
    // fixed one, which is how every .NET binding of ioctl declares it.
    [LibraryImport(LibC, EntryPoint = "ioctl", SetLastError = true)]
    private static partial int NativeIoctl(int fd, nuint request, nuint argument);

    [LibraryImport(LibC, EntryPoint = "close", SetLastError = true)]
    private static partial int NativeClose(int fd);

    [LibraryImport(LibC, EntryPoint = "mmap", SetLastError = true)]
    private static partial nint NativeMmap(nuint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport(LibC, EntryPoint = "munmap", SetLastError = true)]
    private static partial int NativeMunmap(nuint address, nuint length);

    [LibraryImport(LibC, EntryPoint = "process_vm_readv", SetLastError = true)]
    private static partial nint NativeProcessVmReadv(int pid, IoVector* local, nuint localCount, IoVector* remote, nuint remoteCount, nuint flags);

    [LibraryImport(LibC, EntryPoint = "process_vm_writev", SetLastError = true)]
    private static partial nint NativeProcessVmWritev(int pid, IoVector* local, nuint localCount, IoVector* remote, nuint remoteCount, nuint flags);

    /// <summary>struct iovec.</summary>
    private readonly struct IoVector
    {
        public IoVector(nuint address, nuint length)
        {
            Address = address;
            Length = length;
        }

        public nuint Address { get; }

        public nuint Length { get; }
    }
}
