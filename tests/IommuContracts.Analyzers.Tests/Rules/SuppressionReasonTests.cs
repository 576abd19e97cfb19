using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.SuppressionReasonAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Rules;

/// <summary>IOMMU0018: [SuppressContractAnalysis] needs a reason; without one it opts nothing out, and says so.</summary>
public class SuppressionReasonTests
{
    [Fact]
    public async Task An_empty_white_or_null_reason_is_reported_at_the_reason()
    {
        await Verifier.VerifyAsync("""
            class Hotplug
            {
                [SuppressContractAnalysis({|IOMMU0018:""|})]
                void Remove(IommufdDevice idev) => Iommufd.DeviceUnbind(idev);

                [SuppressContractAnalysis({|IOMMU0018:"   "|})]
                Hotplug() { }

                [SuppressContractAnalysis({|IOMMU0018:null!|})]
                void Detach(IommufdDevice idev) => Iommufd.DeviceDetach(idev);
            }
            """);
    }

    [Fact]
    public async Task A_reason_even_from_a_constant_is_silent()
    {
        await Verifier.VerifyAsync("""
            static class Reasons
            {
                public const string Queue = "the unplug queue detaches before it unbinds";
            }

            class Hotplug
            {
                [SuppressContractAnalysis("the platform detaches first")]
                void Remove(IommufdDevice idev) => Iommufd.DeviceUnbind(idev);

                [SuppressContractAnalysis(Reasons.Queue)]
                void Later(IommufdDevice idev) => Iommufd.DeviceUnbind(idev);

                void Plain(IommufdDevice idev) => Iommufd.DeviceUnbind(idev);
            }
            """);
    }
}
