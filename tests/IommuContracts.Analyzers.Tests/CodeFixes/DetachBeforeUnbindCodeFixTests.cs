using IommuContracts.Analyzers.CodeFixes;
using IommuContracts.Analyzers.Tests.Support;

namespace IommuContracts.Analyzers.Tests.CodeFixes;

/// <summary>IOMMU0004 / IOMMU0054: detach before the unbind, guarded by IsAttached when only some paths attached.</summary>
public class DetachBeforeUnbindCodeFixTests
{
    [Fact]
    public async Task Unbind_while_attached_gets_the_detach_first()
    {
        await new ContractFixTest<DetachBeforeUnbindCodeFix>("""
            class Driver
            {
                void Remove(IommufdDevice idev, IoasId ioas)
                {
                    if (Iommufd.DeviceAttach(idev, ioas, out var hwpt) != Errno.None) return;
                    Console.WriteLine(hwpt);
                    // the device goes away
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
                    // the device goes away
                    Iommufd.DeviceUnbind(idev);
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Unbind_while_maybe_attached_gets_a_guarded_detach_in_braces()
    {
        await new ContractFixTest<DetachBeforeUnbindCodeFix>("""
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
                    {
                        Iommufd.DeviceDetach(idev!);
                    }
                    Iommufd.DeviceUnbind(idev!);
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task With_braces_when_multiline_the_guard_is_one_statement()
    {
        await new ContractFixTest<DetachBeforeUnbindCodeFix>("""
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
            """, "csharp_prefer_braces = when_multiline:silent").RunAsync();
    }

    [Fact]
    public async Task An_unbind_that_is_the_body_of_an_if_gets_a_block_and_fix_all_covers_every_method()
    {
        await new ContractFixTest<DetachBeforeUnbindCodeFix>("""
            class Driver
            {
                void Remove(IommufdDevice idev, IoasId ioas, bool gone)
                {
                    if (Iommufd.DeviceAttach(idev, ioas, out var hwpt) != Errno.None) return;
                    Console.WriteLine(hwpt);
                    if (gone)
                        Iommufd.DeviceUnbind({|IOMMU0004:idev|});
                }

                void Shutdown(IommufdDevice idev, IoasId ioas)
                {
                    if (Iommufd.DeviceAttach(idev, ioas, out var hwpt) != Errno.None) return;
                    Console.WriteLine(hwpt);
                    Iommufd.DeviceUnbind({|IOMMU0004:idev|});
                }
            }
            """, """
            class Driver
            {
                void Remove(IommufdDevice idev, IoasId ioas, bool gone)
                {
                    if (Iommufd.DeviceAttach(idev, ioas, out var hwpt) != Errno.None) return;
                    Console.WriteLine(hwpt);
                    if (gone)
                    {
                        Iommufd.DeviceDetach(idev);
                        Iommufd.DeviceUnbind(idev);
                    }
                }

                void Shutdown(IommufdDevice idev, IoasId ioas)
                {
                    if (Iommufd.DeviceAttach(idev, ioas, out var hwpt) != Errno.None) return;
                    Console.WriteLine(hwpt);
                    Iommufd.DeviceDetach(idev);
                    Iommufd.DeviceUnbind(idev);
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task An_expression_bodied_unbind_becomes_a_block_body_and_keeps_its_comment()
    {
        await new ContractFixTest<DetachBeforeUnbindCodeFix>("""
            static class Helpers
            {
                public static void UnbindAttached([RequiresState("Attached")] IommufdDevice idev)
                    => Iommufd.DeviceUnbind({|IOMMU0004:idev|}); // the device goes away

                public static void UnbindMaybeAttached([RequiresState("Bound", "Attached")] IommufdDevice idev) => Iommufd.DeviceUnbind({|IOMMU0054:idev|});
            }
            """, """
            static class Helpers
            {
                public static void UnbindAttached([RequiresState("Attached")] IommufdDevice idev)
                {
                    Iommufd.DeviceDetach(idev);
                    Iommufd.DeviceUnbind(idev); // the device goes away
                }

                public static void UnbindMaybeAttached([RequiresState("Bound", "Attached")] IommufdDevice idev)
                {
                    if (idev.IsAttached)
                    {
                        Iommufd.DeviceDetach(idev);
                    }
                    Iommufd.DeviceUnbind(idev);
                }
            }
            """).RunAsync();
    }
}
