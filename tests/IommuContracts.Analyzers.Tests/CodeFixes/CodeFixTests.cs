using IommuContracts.Analyzers.CodeFixes;
using IommuContracts.Analyzers.Rules;
using IommuContracts.Analyzers.Tests.Support;

namespace IommuContracts.Analyzers.Tests.CodeFixes;

public class CodeFixTests
{
    [Fact]
    public async Task An_unchecked_call_gets_a_check_that_returns_the_errno()
    {
        await CodeFixVerifier<UncheckedResultAnalyzer, AddResultCheckCodeFix>.VerifyAsync("""
            class Vmm
            {
                Errno Run(SimulatedIoctlFile iommufd)
                {
                    var rc = 0;
                    {|IOMMU0003:iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var ioas)|};
                    Console.WriteLine($"{ioas} {rc}");
                    return Errno.None;
                }
            }
            """, """
            class Vmm
            {
                Errno Run(SimulatedIoctlFile iommufd)
                {
                    var rc = 0;
                    var rc2 = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var ioas);
                    if (rc2 != Errno.None)
                        return rc2;
                    Console.WriteLine($"{ioas} {rc}");
                    return Errno.None;
                }
            }
            """);
    }

    [Fact]
    public async Task Unbind_while_attached_gets_the_detach_first()
    {
        await CodeFixVerifier<TypestateAnalyzer, DetachBeforeUnbindCodeFix>.VerifyAsync("""
            class Driver
            {
                void Remove(IommufdDevice idev, IoasId ioas)
                {
                    if (Iommufd.DeviceAttach(idev, ioas, out var hwpt) != Errno.None) return;
                    Console.WriteLine(hwpt);
                    Iommufd.DeviceUnbind({|IOMMU0004:idev|});
                }
            }
            """, """
            class Driver
            {
                void Remove(IommufdDevice idev, IoasId ioas)
                {
                    if (Iommufd.DeviceAttach(idev, ioas, out var hwpt) != Errno.None) return;
                    Console.WriteLine(hwpt);
                    Iommufd.DeviceDetach(idev);
                    Iommufd.DeviceUnbind(idev);
                }
            }
            """);
    }

    [Fact]
    public async Task Unbind_while_maybe_attached_gets_a_guarded_detach()
    {
        await CodeFixVerifier<TypestateAnalyzer, DetachBeforeUnbindCodeFix>.VerifyAsync("""
            [DriverManagedDma]
            class Driver
            {
                void Run(IommufdCtx ctx, PciDevice dev, IoasId ioas, bool attach)
                {
                    if (Iommufd.DeviceBind(ctx, dev, out var idev, out _) != Errno.None) return;
                    if (attach && Iommufd.DeviceAttach(idev!, ioas, out var hwpt) == Errno.None) Console.WriteLine(hwpt);
                    Iommufd.DeviceUnbind({|IOMMU0054:idev!|});
                }
            }
            """, """
            [DriverManagedDma]
            class Driver
            {
                void Run(IommufdCtx ctx, PciDevice dev, IoasId ioas, bool attach)
                {
                    if (Iommufd.DeviceBind(ctx, dev, out var idev, out _) != Errno.None) return;
                    if (attach && Iommufd.DeviceAttach(idev!, ioas, out var hwpt) == Errno.None) Console.WriteLine(hwpt);
                    if (idev!.IsAttached)
                        Iommufd.DeviceDetach(idev!);
                    Iommufd.DeviceUnbind(idev!);
                }
            }
            """);
    }

    [Fact]
    public async Task A_second_attach_becomes_a_replace()
    {
        await CodeFixVerifier<TypestateAnalyzer, AttachToReplaceCodeFix>.VerifyAsync("""
            class Driver
            {
                Errno Move(IommufdDevice idev, IoasId first, IoasId second)
                {
                    if (Iommufd.DeviceAttach(idev, first, out var hwpt) != Errno.None) return Errno.EINVAL;
                    Console.WriteLine(hwpt);
                    var rc = Iommufd.DeviceAttach({|IOMMU0005:idev|}, second, out hwpt);
                    Console.WriteLine(hwpt);
                    return rc;
                }
            }
            """, """
            class Driver
            {
                Errno Move(IommufdDevice idev, IoasId first, IoasId second)
                {
                    if (Iommufd.DeviceAttach(idev, first, out var hwpt) != Errno.None) return Errno.EINVAL;
                    Console.WriteLine(hwpt);
                    var rc = Iommufd.DeviceReplace(idev, second, out hwpt);
                    Console.WriteLine(hwpt);
                    return rc;
                }
            }
            """);
    }

    [Fact]
    public async Task A_driver_that_binds_gets_DriverManagedDma()
    {
        await CodeFixVerifier<DriverManagedDmaAnalyzer, AddDriverManagedDmaCodeFix>.VerifyAsync("""
            class Driver
            {
                Errno Probe(IommufdCtx ctx, PciDevice dev) => {|IOMMU0009:Iommufd.DeviceBind(ctx, dev, out _, out _)|};
            }
            """, """
            [DriverManagedDma]
            class Driver
            {
                Errno Probe(IommufdCtx ctx, PciDevice dev) => Iommufd.DeviceBind(ctx, dev, out _, out _);
            }
            """);
    }

    [Fact]
    public async Task A_literal_command_becomes_the_struct_constant()
    {
        await CodeFixVerifier<HandPackedIoctlAnalyzer, UseCommandConstantCodeFix>.VerifyAsync("""
            class Vmm
            {
                int Raw(SimulatedProcess process, int fd, ulong argument) => process.Ioctl(fd, {|IOMMU0104:0x3B81|}, argument);
            }
            """, """
            class Vmm
            {
                int Raw(SimulatedProcess process, int fd, ulong argument) => process.Ioctl(fd, IommuIoasAlloc.Command, argument);
            }
            """);
    }
}
