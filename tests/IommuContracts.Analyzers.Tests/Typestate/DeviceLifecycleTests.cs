using IommuContracts.Analyzers.Tests.Support;
using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.TypestateAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Typestate;

/// <summary>Bind / attach / detach / unbind of an iommufd device through the kAPI (IOMMU0002, 0004–0007 and their "some path" twins).</summary>
public class DeviceLifecycleTests
{
    private const string Driver = """
        [DriverManagedDma]
        class Driver
        {
            Errno Run(IommufdCtx ctx, PciDevice dev, IoasId ioas)
            {
        BODY
            }
        }
        """;

    private static Task Verify(string body) => Verifier.VerifyAsync(SnippetTemplate.Fill(Driver, body));

    [Fact]
    public async Task The_correct_sequence_is_clean()
    {
        await Verify("""
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    Console.WriteLine(hwpt);
                    Iommufd.DeviceDetach(idev!);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
            """);
    }

    [Fact]
    public async Task Unbind_while_attached_is_IOMMU0004()
    {
        await Verify("""
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    Console.WriteLine(hwpt);
                    Iommufd.DeviceUnbind({|IOMMU0004:idev!|});
                    return Errno.None;
            """);
    }

    [Fact]
    public async Task Unbind_when_the_attach_result_was_never_tested_is_IOMMU0054()
    {
        await Verify("""
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    var attached = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
                    Console.WriteLine(hwpt);
                    Iommufd.DeviceUnbind({|IOMMU0054:idev!|});
                    return attached;
            """);
    }

    [Fact]
    public async Task Use_after_unbind_is_IOMMU0002()
    {
        await Verify("""
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    Iommufd.DeviceUnbind(idev!);
                    Console.WriteLine(Iommufd.DeviceToId({|IOMMU0002:idev!|}));
                    return Errno.None;
            """);
    }

    [Fact]
    public async Task Attach_twice_is_IOMMU0005_and_detach_of_a_bound_device_is_IOMMU0007()
    {
        await Verify("""
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    Iommufd.DeviceDetach({|IOMMU0007:idev!|});
                    if (Iommufd.DeviceAttach(idev!, ioas, out var hwpt) != Errno.None) { Iommufd.DeviceUnbind(idev!); return Errno.EINVAL; }
                    Console.WriteLine(hwpt);
                    rc = Iommufd.DeviceAttach({|IOMMU0005:idev!|}, ioas, out hwpt);
                    Iommufd.DeviceDetach(idev!);
                    Iommufd.DeviceUnbind(idev!);
                    return rc;
            """);
    }

    [Fact]
    public async Task Replace_before_attach_is_IOMMU0006()
    {
        await Verify("""
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc.IsError()) return rc;
                    rc = Iommufd.DeviceReplace({|IOMMU0006:idev!|}, ioas, out var hwpt);
                    Console.WriteLine(hwpt);
                    Iommufd.DeviceUnbind(idev!);
                    return rc;
            """);
    }

    [Fact]
    public async Task A_state_query_guards_the_detach()
    {
        await Verify("""
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    var attached = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
                    Console.WriteLine(hwpt);
                    if (idev!.IsAttached)
                    {
                        Iommufd.DeviceDetach(idev);
                    }

                    Iommufd.DeviceUnbind(idev);
                    return attached;
            """);
    }

    [Fact]
    public async Task Using_the_device_before_checking_the_bind_result_is_IOMMU0003()
    {
        await Verify("""
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    var attached = Iommufd.DeviceAttach({|IOMMU0003:idev!|}, ioas, out var hwpt);
                    Console.WriteLine(hwpt);
                    if (rc != Errno.None) return rc;
                    Iommufd.DeviceUnbind(idev!);
                    return attached;
            """);
    }
}
