using IommuContracts.Linux;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>A test that makes real syscalls: skipped where the Linux backend is not supported (it answers ENOSYS there).</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!LinuxIoctlFile.IsSupported)
        {
            Skip = "needs Linux on x86-64, arm64, riscv64 or loongarch64";
        }
    }
}
