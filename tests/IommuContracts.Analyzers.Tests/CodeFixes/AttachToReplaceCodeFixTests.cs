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
            """).RunAsync();
    }

    [Fact]
    public async Task An_attach_of_a_device_attached_on_some_paths_chooses_on_IsAttached()
    {
        await new ContractFixTest<AttachToReplaceCodeFix>("""
            [DriverManagedDma]
            class Driver
            {
                Errno Move(IommufdCtx ctx, PciDevice dev, ObjectId first, ObjectId second, bool early)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    var pt = first;
                    if (early && Iommufd.DeviceAttach(idev!, ref pt) == Errno.None) Console.WriteLine(pt);
                    pt = second;
                    rc = Iommufd.DeviceAttach({|IOMMU0055:idev!|}, ref pt);
                    Console.WriteLine(pt);
                    if (idev!.IsAttached) Iommufd.DeviceDetach(idev!);
                    Iommufd.DeviceUnbind(idev!);
                    return rc;
                }
            }
            """, """
            [DriverManagedDma]
            class Driver
            {
                Errno Move(IommufdCtx ctx, PciDevice dev, ObjectId first, ObjectId second, bool early)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    var pt = first;
                    if (early && Iommufd.DeviceAttach(idev!, ref pt) == Errno.None) Console.WriteLine(pt);
                    pt = second;
                    rc = (idev!.IsAttached ? Iommufd.DeviceReplace(idev!, ref pt) : Iommufd.DeviceAttach(idev!, ref pt));
                    Console.WriteLine(pt);
                    if (idev!.IsAttached) Iommufd.DeviceDetach(idev!);
                    Iommufd.DeviceUnbind(idev!);
                    return rc;
                }
            }
            """).RunAsync();
    }
}
