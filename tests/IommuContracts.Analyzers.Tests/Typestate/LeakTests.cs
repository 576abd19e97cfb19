using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.TypestateAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Typestate;

/// <summary>Handles acquired in a method and left owned by some exit (IOMMU0008 on every path, IOMMU0058 on some).</summary>
public class LeakTests
{
    [Fact]
    public async Task A_device_bound_and_never_unbound_is_IOMMU0008()
    {
        await Verifier.VerifyAsync("""
            [DriverManagedDma]
            class Driver
            {
                Errno Probe(IommufdCtx ctx, PciDevice dev)
                {
                    var rc = {|IOMMU0008:Iommufd.DeviceBind(ctx, dev, out var idev, out _)|};
                    if (rc != Errno.None) return rc;
                    Console.WriteLine(Iommufd.DeviceToId(idev!));
                    return Errno.None;
                }
            }
            """);
    }

    [Fact]
    public async Task The_error_path_that_forgets_to_unbind_is_IOMMU0058()
    {
        await Verifier.VerifyAsync("""
            [DriverManagedDma]
            class Driver
            {
                IommufdDevice? _idev;

                Errno Probe(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    var rc = {|IOMMU0058:Iommufd.DeviceBind(ctx, dev, out var idev, out _)|};
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
                    if (rc != Errno.None)
                    {
                        return rc;
                    }

                    Console.WriteLine(hwpt);
                    _idev = idev;
                    return Errno.None;
                }

                void Remove()
                {
                    if (_idev is not { } idev) return;
                    if (idev.IsAttached) Iommufd.DeviceDetach(idev);
                    Iommufd.DeviceUnbind(idev);
                    _idev = null;
                }
            }
            """);
    }

    [Fact]
    public async Task Storing_returning_or_handing_on_the_handle_is_not_a_leak()
    {
        await Verifier.VerifyAsync("""
            using System.Collections.Generic;

            [DriverManagedDma]
            class Driver
            {
                readonly List<IommufdDevice> _devices = new();

                IommufdDevice? Returned(IommufdCtx ctx, PciDevice dev)
                    => Iommufd.DeviceBind(ctx, dev, out var idev, out _) == Errno.None ? idev : null;

                Errno Out(IommufdCtx ctx, PciDevice dev, out IommufdDevice? idev) => Iommufd.DeviceBind(ctx, dev, out idev, out _);

                Errno Listed(IommufdCtx ctx, PciDevice dev)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    _devices.Add(idev!);
                    return Errno.None;
                }
            }
            """);
    }

    [Fact]
    public async Task A_switch_expression_is_not_an_exit_even_without_a_discard_arm()
    {
        // The compiler adds a throw of SwitchExpressionException for a value no arm matches; that is not an error
        // path the author wrote, so the binding does not leak there. A real early return still leaks.
        await Verifier.VerifyAsync("""
            [DriverManagedDma]
            class Driver
            {
                enum Mode { Shared, Private }

                Errno Probe(IommufdCtx ctx, PciDevice dev, IoasId ioas, Mode mode)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    var label = rc switch { Errno.None => "bound", _ => "failed" };
                    var width = mode switch { Mode.Shared => 48, Mode.Private => 39 };
                    Console.WriteLine($"{label} {width}");
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                }

                Errno Leaky(IommufdCtx ctx, PciDevice dev, Mode mode)
                {
                    var rc = {|IOMMU0058:Iommufd.DeviceBind(ctx, dev, out var idev, out _)|};
                    if (rc != Errno.None) return rc;
                    var width = mode switch { Mode.Shared => 48, _ => 39 };
                    if (width < 48) return Errno.EINVAL;
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                }
            }
            """);
    }

    [Fact]
    public async Task A_release_in_finally_covers_every_exit()
    {
        await Verifier.VerifyAsync("""
            [DriverManagedDma]
            class Driver
            {
                Errno Probe(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    try
                    {
                        rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
                        if (rc != Errno.None) return rc;
                        Console.WriteLine(hwpt);
                        Iommufd.DeviceDetach(idev!);
                        return Errno.None;
                    }
                    finally
                    {
                        Iommufd.DeviceUnbind(idev!);
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task An_access_created_and_not_destroyed_on_the_attach_failure_path_is_IOMMU0058()
    {
        await Verifier.VerifyAsync("""
            class Emulated : IIommufdAccessOps
            {
                IommufdAccess? _access;

                public bool NeedsPinPages => false;

                public void Unmap(ulong iova, ulong length) { }

                Errno Open(IommufdCtx ctx, IoasId ioas)
                {
                    var rc = {|IOMMU0058:Iommufd.AccessCreate(ctx, this, out var access, out _)|};
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.AccessAttach(access!, ioas);
                    if (rc != Errno.None) return rc;
                    _access = access;
                    return Errno.None;
                }

                void Close()
                {
                    if (_access is { } access)
                    {
                        if (access.IsAttached) Iommufd.AccessDetach(access);
                        Iommufd.AccessDestroy(access);

                        // Cleared, so a second Close does not destroy it again.
                        _access = null;
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task A_context_reference_taken_and_not_put_is_IOMMU0008()
    {
        await Verifier.VerifyAsync("""
            class Driver
            {
                bool Owns(SimulatedProcess process, int fd, IommuGroup group)
                {
                    if ({|IOMMU0008:Iommufd.CtxFromFd(process, fd, out var ctx)|} != Errno.None) return false;
                    return Iommufd.CtxHasGroup(ctx!, group);
                }
            }
            """);
    }
}
