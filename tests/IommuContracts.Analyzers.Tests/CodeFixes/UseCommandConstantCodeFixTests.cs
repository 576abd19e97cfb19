using IommuContracts.Analyzers.CodeFixes;
using IommuContracts.Analyzers.Tests.Support;

namespace IommuContracts.Analyzers.Tests.CodeFixes;

/// <summary>IOMMU0104: a literal command number becomes the uapi struct's Command constant.</summary>
public class UseCommandConstantCodeFixTests
{
    [Fact]
    public async Task Literal_commands_become_the_struct_constants()
    {
        await new ContractFixTest<UseCommandConstantCodeFix>("""
            class Vmm
            {
                int Alloc(SimulatedProcess process, int fd, ulong argument) => process.Ioctl(fd, {|IOMMU0104:0x3B81|}, argument);

                int Destroy(SimulatedProcess process, int fd, ulong argument) => process.Ioctl(fd, {|IOMMU0104:0x3B80|}, argument);
            }
            """, """
            class Vmm
            {
                int Alloc(SimulatedProcess process, int fd, ulong argument) => process.Ioctl(fd, IommuIoasAlloc.Command, argument);

                int Destroy(SimulatedProcess process, int fd, ulong argument) => process.Ioctl(fd, IommuDestroy.Command, argument);
            }
            """).RunAsync();
    }
}
