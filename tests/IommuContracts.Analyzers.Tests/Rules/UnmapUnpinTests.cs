using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.UnmapUnpinAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Rules;

public class UnmapUnpinTests
{
    [Fact]
    public async Task A_pinning_driver_whose_unmap_never_unpins_is_IOMMU0014()
    {
        await Verifier.VerifyAsync("""
            class Forgetful : IIommufdAccessOps
            {
                public IommufdAccess? Access;
                public bool NeedsPinPages => true;

                public void {|IOMMU0014:Unmap|}(ulong iova, ulong length) => Console.WriteLine(iova);

                Errno Pin() => Iommufd.AccessPinPages(Access!, 0x1000, 0x1000, false, out _);
            }

            class Careful : IIommufdAccessOps
            {
                public IommufdAccess? Access;
                public bool NeedsPinPages => true;

                public void Unmap(ulong iova, ulong length) => Release(iova, length);

                void Release(ulong iova, ulong length) => Iommufd.AccessUnpinPages(Access!, iova, length);

                Errno Pin() => Iommufd.AccessPinPages(Access!, 0x1000, 0x1000, false, out _);
            }

            class ReadsOnly : IIommufdAccessOps
            {
                public bool NeedsPinPages => false;

                public void Unmap(ulong iova, ulong length) { }
            }
            """);
    }
}
