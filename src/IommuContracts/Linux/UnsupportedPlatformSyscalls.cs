namespace IommuContracts.Linux;

/// <summary>
/// The syscalls on an OS or architecture the backend does not support: every call is
/// <see cref="LinuxIoctlFile.UnsupportedPlatformErrno"/>, nothing is loaded from libc.
/// </summary>
internal sealed class UnsupportedPlatformSyscalls : ILinuxSyscalls
{
    public static UnsupportedPlatformSyscalls Instance { get; } = new();

    private static int Refused => LinuxIoctlFile.UnsupportedPlatformErrno.ToSyscallResult();

    public int Open(string path, int flags) => Refused;

    public int Ioctl(int fd, nuint request, nuint argument) => Refused;

    public int Close(int fd) => Refused;

    public Errno MapAnonymous(nuint length, out nuint address)
    {
        address = 0;
        return LinuxIoctlFile.UnsupportedPlatformErrno;
    }

    public Errno Unmap(nuint address, nuint length) => LinuxIoctlFile.UnsupportedPlatformErrno;

    public Errno ReadMemory(nuint address, Span<byte> destination) => LinuxIoctlFile.UnsupportedPlatformErrno;

    public Errno WriteMemory(nuint address, ReadOnlySpan<byte> source) => LinuxIoctlFile.UnsupportedPlatformErrno;
}
