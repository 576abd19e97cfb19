using IommuContracts.Analyzers.CodeFixes;
using IommuContracts.Analyzers.Tests.Support;

namespace IommuContracts.Analyzers.Tests.CodeFixes;

/// <summary>IOMMU0005 / IOMMU0055: a second attach becomes a replace (or a choice on IsAttached).</summary>
public class AttachToReplaceCodeFixTests
{
    [Fact]
    public async Task A_second_attach_becomes_a_replace()
    {
        await new ContractFixTest<AttachToReplaceCodeFix>("""
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
            """).RunAsync();
    }

    [Fact]
    public async Task An_attach_of_a_device_attached_on_some_paths_chooses_on_IsAttached()
    {
        await new ContractFixTest<AttachToReplaceCodeFix>("""
            [DriverManagedDma]
            class Driver
            {
                Errno Move(IommufdCtx ctx, PciDevice dev, IoasId first, IoasId second, bool early)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    if (early && Iommufd.DeviceAttach(idev!, first, out var hwpt) == Errno.None) Console.WriteLine(hwpt);
                    rc = Iommufd.DeviceAttach({|IOMMU0055:idev!|}, second, out hwpt);
                    Console.WriteLine(hwpt);
                    if (idev!.IsAttached) Iommufd.DeviceDetach(idev!);
                    Iommufd.DeviceUnbind(idev!);
                    return rc;
                }
            }
            """, """
            [DriverManagedDma]
            class Driver
            {
                Errno Move(IommufdCtx ctx, PciDevice dev, IoasId first, IoasId second, bool early)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    if (early && Iommufd.DeviceAttach(idev!, first, out var hwpt) == Errno.None) Console.WriteLine(hwpt);
                    rc = (idev!.IsAttached ? Iommufd.DeviceReplace(idev!, second, out hwpt) : Iommufd.DeviceAttach(idev!, second, out hwpt));
                    Console.WriteLine(hwpt);
                    if (idev!.IsAttached) Iommufd.DeviceDetach(idev!);
                    Iommufd.DeviceUnbind(idev!);
                    return rc;
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task An_out_variable_the_choice_would_declare_twice_is_declared_once_before_it()
    {
        await new ContractFixTest<AttachToReplaceCodeFix>("""
            static class Helpers
            {
                public static Errno AttachMaybeAttached([RequiresState("Bound", "Attached")] IommufdDevice idev, IoasId ioas)
                {
                    var rc = Iommufd.DeviceAttach({|IOMMU0055:idev|}, ioas, out var hwpt);
                    Console.WriteLine(hwpt);
                    return rc;
                }
            }
            """, """
            static class Helpers
            {
                public static Errno AttachMaybeAttached([RequiresState("Bound", "Attached")] IommufdDevice idev, IoasId ioas)
                {
                    HwptId hwpt;
                    var rc = (idev.IsAttached ? Iommufd.DeviceReplace(idev, ioas, out hwpt) : Iommufd.DeviceAttach(idev, ioas, out hwpt));
                    Console.WriteLine(hwpt);
                    return rc;
                }
            }
            """).RunAsync();
    }
}
