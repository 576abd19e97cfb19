using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.DriverManagedDmaAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Rules;

public class DriverManagedDmaTests
{
    [Fact]
    public async Task Binding_from_a_type_without_DriverManagedDma_is_IOMMU0009()
    {
        await Verifier.VerifyAsync("""
            class Plain
            {
                Errno Probe(IommufdCtx ctx, PciDevice dev) => {|IOMMU0009:Iommufd.DeviceBind(ctx, dev, out _, out _)|};
            }

            [DriverManagedDma]
            class Declared
            {
                Errno Probe(IommufdCtx ctx, PciDevice dev) => Iommufd.DeviceBind(ctx, dev, out _, out _);

                class Helper
                {
                    Errno Probe(IommufdCtx ctx, PciDevice dev) => Iommufd.DeviceBind(ctx, dev, out _, out _);
                }
            }

            class Derived : Declared
            {
                Errno Again(IommufdCtx ctx, PciDevice dev) => Iommufd.DeviceBind(ctx, dev, out _, out _);
            }
            """);
    }
}
