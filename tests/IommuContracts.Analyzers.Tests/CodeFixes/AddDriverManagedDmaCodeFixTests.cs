using IommuContracts.Analyzers.CodeFixes;
using IommuContracts.Analyzers.Tests.Support;

namespace IommuContracts.Analyzers.Tests.CodeFixes;

/// <summary>
/// IOMMU0009: the driver class that binds declares [DriverManagedDma], once. The probes hand the bound device to
/// their caller, so no leak (IOMMU0008) is reported beside it.
/// </summary>
public class AddDriverManagedDmaCodeFixTests
{
    [Fact]
    public async Task A_driver_that_binds_gets_DriverManagedDma()
    {
        await new ContractFixTest<AddDriverManagedDmaCodeFix>("""
            class Driver
            {
                Errno Probe(IommufdCtx ctx, PciDevice dev, out IommufdDevice? idev) => {|IOMMU0009:Iommufd.DeviceBind(ctx, dev, out idev, out _)|};
            }
            """, """
            [DriverManagedDma]
            class Driver
            {
                Errno Probe(IommufdCtx ctx, PciDevice dev, out IommufdDevice? idev) => Iommufd.DeviceBind(ctx, dev, out idev, out _);
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Two_binds_in_an_indented_attributed_class_get_one_attribute_below_the_others()
    {
        await new ContractFixTest<AddDriverManagedDmaCodeFix>("""
            namespace Nic
            {
                /// <summary>The NIC driver.</summary>
                [Serializable]
                sealed class Driver
                {
                    Errno Probe(IommufdCtx ctx, PciDevice dev, out IommufdDevice? idev) => {|IOMMU0009:Iommufd.DeviceBind(ctx, dev, out idev, out _)|};

                    Errno Resume(IommufdCtx ctx, PciDevice dev, out IommufdDevice? idev) => {|IOMMU0009:Iommufd.DeviceBind(ctx, dev, out idev, out _)|};
                }
            }
            """, """
            namespace Nic
            {
                /// <summary>The NIC driver.</summary>
                [Serializable]
                [DriverManagedDma]
                sealed class Driver
                {
                    Errno Probe(IommufdCtx ctx, PciDevice dev, out IommufdDevice? idev) => Iommufd.DeviceBind(ctx, dev, out idev, out _);

                    Errno Resume(IommufdCtx ctx, PciDevice dev, out IommufdDevice? idev) => Iommufd.DeviceBind(ctx, dev, out idev, out _);
                }
            }
            """)
        {
            NumberOfIncrementalIterations = 1,
            NumberOfFixAllIterations = 1,
        }.RunAsync();
    }

    [Fact]
    public async Task A_partial_driver_gets_the_attribute_on_its_first_part_only()
    {
        var test = new ContractFixTest<AddDriverManagedDmaCodeFix>("""
            partial class Driver
            {
                Errno Probe(IommufdCtx ctx, PciDevice dev, out IommufdDevice? idev) => {|IOMMU0009:Iommufd.DeviceBind(ctx, dev, out idev, out _)|};
            }
            """, """
            [DriverManagedDma]
            partial class Driver
            {
                Errno Probe(IommufdCtx ctx, PciDevice dev, out IommufdDevice? idev) => Iommufd.DeviceBind(ctx, dev, out idev, out _);
            }
            """)
        {
            NumberOfIncrementalIterations = 1,
            NumberOfFixAllIterations = 1,
        };
        test.TestState.Sources.Add(("/0/Test1.cs", SnippetUsings.Text + """
            partial class Driver
            {
                Errno Resume(IommufdCtx ctx, PciDevice dev, out IommufdDevice? idev) => {|IOMMU0009:Iommufd.DeviceBind(ctx, dev, out idev, out _)|};
            }
            """));
        test.FixedState.Sources.Add(("/0/Test1.cs", SnippetUsings.Text + """
            partial class Driver
            {
                Errno Resume(IommufdCtx ctx, PciDevice dev, out IommufdDevice? idev) => Iommufd.DeviceBind(ctx, dev, out idev, out _);
            }
            """));
        await test.RunAsync();
    }
}
