using System.Runtime.InteropServices;

namespace IommuContracts.Linux;

/// <summary>
/// Chooses the syscall implementation once: libc where the uapi numbers of this library are the kernel's,
/// and <see cref="UnsupportedPlatformSyscalls"/> everywhere else, so no P/Invoke is ever attempted there.
/// </summary>
internal static class LinuxSyscalls
{
    /// <summary>
    /// Linux on an architecture with the generic ioctl encoding, errno numbers and O_CLOEXEC (x86-64, arm64,
    /// riscv64, loongarch64). powerpc, mips, sparc and alpha encode ioctls or number errnos differently.
    /// </summary>
    public static bool IsSupportedPlatform { get; } = OperatingSystem.IsLinux() && HasGenericUapi(RuntimeInformation.ProcessArchitecture);

    public static ILinuxSyscalls Current { get; } = IsSupportedPlatform ? NativeLinuxSyscalls.Instance : UnsupportedPlatformSyscalls.Instance;

    private static bool HasGenericUapi(Architecture architecture)
        => architecture is Architecture.X64 or Architecture.Arm64 or Architecture.LoongArch64
        // net8.0 has no Architecture.RiscV64 member; the .NET 9+ runtime reports it by this name.
        || architecture.ToString() == "RiscV64";
}
