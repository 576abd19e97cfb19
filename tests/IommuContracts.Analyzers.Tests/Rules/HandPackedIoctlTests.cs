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
}
