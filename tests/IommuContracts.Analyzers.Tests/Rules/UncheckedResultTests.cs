using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.UncheckedResultAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Rules;

public class UncheckedResultTests
{
    [Fact]
    public async Task A_discarded_or_unread_errno_is_IOMMU0003_and_a_read_or_explicit_discard_is_not()
    {
        await Verifier.VerifyAsync("""
            class Vmm
            {
                Errno Run(SimulatedIoctlFile iommufd, IoasId ioas)
                {
                    {|IOMMU0003:iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var first)|};
                    var unread = {|IOMMU0003:iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var second)|};
                    _ = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var third);
                    var rc = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var fourth);
                    if (rc != Errno.None) return rc;
                    Console.WriteLine($"{first} {second} {third} {fourth}");
                    return iommufd.IoasAlloc(IommuIoasAllocFlags.None, out _);
                }
            }
            """);
    }
}
