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
                void Remove(IommufdDevice idev, ObjectId ioas)
                {
                    var pt = ioas;
                    if (Iommufd.DeviceAttach(idev, ref pt) != Errno.None) return;
                    Console.WriteLine(pt);
                    Iommufd.DeviceUnbind({|IOMMU0004:idev|});
                }
            }
            """, """
            class Driver
            {
                void Remove(IommufdDevice idev, ObjectId ioas)
                {
                    var pt = ioas;
                    if (Iommufd.DeviceAttach(idev, ref pt) != Errno.None) return;
                    Console.WriteLine(pt);
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
                void Run(IommufdCtx ctx, PciDevice dev, ObjectId ioas, bool attach)
                {
                    if (Iommufd.DeviceBind(ctx, dev, out var idev, out _) != Errno.None) return;
                    var pt = ioas;
                    if (attach && Iommufd.DeviceAttach(idev!, ref pt) == Errno.None) Console.WriteLine(pt);
                    Iommufd.DeviceUnbind({|IOMMU0054:idev!|});
                }
            }
            """, """
            [DriverManagedDma]
            class Driver
            {
                void Run(IommufdCtx ctx, PciDevice dev, ObjectId ioas, bool attach)
                {
                    if (Iommufd.DeviceBind(ctx, dev, out var idev, out _) != Errno.None) return;
                    var pt = ioas;
                    if (attach && Iommufd.DeviceAttach(idev!, ref pt) == Errno.None) Console.WriteLine(pt);
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
                Errno Move(IommufdDevice idev, ObjectId first, ObjectId second)
                {
                    var pt = first;
                    if (Iommufd.DeviceAttach(idev, ref pt) != Errno.None) return Errno.EINVAL;
                    Console.WriteLine(pt);
                    pt = second;
                    var rc = Iommufd.DeviceAttach({|IOMMU0005:idev|}, ref pt);
                    Console.WriteLine(pt);
                    return rc;
                }
            }
            """, """
            class Driver
            {
                Errno Move(IommufdDevice idev, ObjectId first, ObjectId second)
                {
                    var pt = first;
                    if (Iommufd.DeviceAttach(idev, ref pt) != Errno.None) return Errno.EINVAL;
                    Console.WriteLine(pt);
                    pt = second;
                    var rc = Iommufd.DeviceReplace(idev, ref pt);
                    Console.WriteLine(pt);
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
