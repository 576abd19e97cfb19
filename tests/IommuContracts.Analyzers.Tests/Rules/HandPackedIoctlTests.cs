using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.HandPackedIoctlAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Rules;

public class HandPackedIoctlTests
{
    [Fact]
    public async Task A_literal_command_with_a_typed_stub_is_IOMMU0104()
    {
        await Verifier.VerifyAsync("""
            class Vmm
            {
                int Raw(SimulatedProcess process, int fd, ulong argument)
                {
                    var known = process.Ioctl(fd, {|IOMMU0104:0x3B81|}, argument);
                    var named = process.Ioctl(fd, IommuIoasAlloc.Command, argument);
                    var unknown = process.Ioctl(fd, 0x1234, argument);
                    return known + named + unknown;
                }
            }
            """);
    }

    [Fact]
    public async Task Calls_through_an_implementation_of_a_RawIoctl_member_count_as_well()
    {
        await Verifier.VerifyAsync("""
            using IommuContracts.Linux;

            // A file of the user's own: its Ioctl implements IIoctlFile.Ioctl, which is [RawIoctl].
            sealed class TracingFile : IIoctlFile
            {
                private readonly IIoctlFile _inner;

                public TracingFile(IIoctlFile inner) => _inner = inner;

                public int Fd => _inner.Fd;

                public int Ioctl(uint command, Span<byte> argument) => _inner.Ioctl(command, argument);

                public int Ioctl(uint command, ulong value) => _inner.Ioctl(command, value);

                public int Ioctl(uint command, Span<byte> argument, int pointerOffset, Span<byte> buffer) => _inner.Ioctl(command, argument, pointerOffset, buffer);
            }

            class Vmm
            {
                int Raw(SimulatedIoctlFile simulated, LinuxIommufdFile real, TracingFile traced, IIoctlFile file, byte[] buffer)
                {
                    var a = simulated.Ioctl({|IOMMU0104:0x3B81|}, buffer);
                    var b = real.Ioctl({|IOMMU0104:0x3B81|}, buffer);
                    var c = traced.Ioctl({|IOMMU0104:0x3B81|}, buffer);
                    var d = file.Ioctl({|IOMMU0104:0x3B81|}, buffer);
                    var named = simulated.Ioctl(IommuIoasAlloc.Command, buffer);
                    var unknown = traced.Ioctl(0x1234, buffer);
                    return a + b + c + d + named + unknown;
                }
            }
            """);
    }
}
