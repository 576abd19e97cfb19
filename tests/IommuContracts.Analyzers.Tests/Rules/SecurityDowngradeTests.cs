using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.SecurityDowngradeAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Rules;

public class SecurityDowngradeTests
{
    [Fact]
    public async Task Allowing_unsafe_interrupts_without_a_reason_is_IOMMU0010()
    {
        await Verifier.VerifyAsync("""
            class Host
            {
                void Unsafe(SimulatedKernel kernel, bool flag)
                {
                    {|IOMMU0010:kernel.AllowUnsafeInterrupts = true|};
                    {|IOMMU0010:kernel.AllowUnsafeInterrupts = flag|};
                    kernel.AllowUnsafeInterrupts = false;
                    var other = new SimulatedKernel { {|IOMMU0010:AllowUnsafeInterrupts = true|} };
                    Console.WriteLine(other);
                }

                [SecurityDowngradeJustified("lab host without interrupt remapping; devices are trusted")]
                void Accepted(SimulatedKernel kernel) => kernel.AllowUnsafeInterrupts = true;

                [SecurityDowngradeJustified("  ")]
                void EmptyReason(SimulatedKernel kernel) => {|IOMMU0010:kernel.AllowUnsafeInterrupts = true|};
            }
            """);
    }
}
