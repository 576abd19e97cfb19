using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.TypestateAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Typestate;

/// <summary>
/// Handles kept in fields: a member starts from every state the type's members leave the field in at their exits,
/// so a remove path that unbinds a device probe leaves attached is IOMMU0004, one that cannot know whether it is
/// attached is IOMMU0054, and a field acquired but released by no member is IOMMU0017.
/// </summary>
public class FieldTests
{
    private const string Probe = """
            Errno Probe(IommufdCtx ctx, PciDevice dev, IoasId ioas)
            {
                var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                if (rc != Errno.None) return rc;
                rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
                if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                Console.WriteLine(hwpt);
                _idev = idev;
                return Errno.None;
            }
        """;

    [Fact]
    public async Task Remove_that_unbinds_a_device_every_probe_leaves_attached_is_IOMMU0004()
    {
        // Probe stores the device only once it is attached: whenever Remove finds one, it is attached.
        await Verifier.VerifyAsync($$"""
            [DriverManagedDma]
            class Driver
            {
                IommufdDevice? _idev;

            {{Probe}}

                void Remove()
                {
                    Iommufd.DeviceUnbind({|IOMMU0004:_idev!|});
                    _idev = null;
                }
            }
            """);
    }

    [Fact]
    public async Task Members_that_never_touch_the_fields_are_reported_once_and_those_that_do_from_the_fields_states()
    {
        // Diagnose and Scratch keep their devices in locals: their summary analysis is their report (the type's field
        // pass would take the same steps), so Scratch's mistake appears once and Diagnose stays silent. Reset calls a
        // member on this and uses the field, so it is analysed again from the states the others leave it in: Probe
        // stores the device attached.
        await Verifier.VerifyAsync($$"""
            [DriverManagedDma]
            class Driver
            {
                IommufdDevice? _idev;

            {{Probe}}

                void Remove()
                {
                    if (_idev is null) return;
                    Iommufd.DeviceDetach(_idev);
                    Iommufd.DeviceUnbind(_idev);
                    _idev = null;
                }

                Errno Diagnose(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var probe, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.DeviceAttach(probe!, ioas, out _);
                    if (rc == Errno.None) Iommufd.DeviceDetach(probe!);
                    Iommufd.DeviceUnbind(probe!);
                    return rc;
                }

                void Scratch(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    if (Iommufd.DeviceBind(ctx, dev, out var scratch, out _) != Errno.None) return;
                    if (Iommufd.DeviceAttach(scratch!, ioas, out _) != Errno.None) { Iommufd.DeviceUnbind(scratch!); return; }
                    Iommufd.DeviceUnbind({|IOMMU0004:scratch!|});
                }

                void Trace() => Console.WriteLine(_idev is null ? "idle" : "bound");

                void Reset()
                {
                    Trace();
                    if (_idev is null) return;
                    Iommufd.DeviceUnbind({|IOMMU0004:_idev|});
                    _idev = null;
                }
            }
            """);
    }

    [Fact]
    public async Task A_field_released_and_left_set_may_be_released_in_every_other_member()
    {
        // Remove unbinds but keeps the reference: Stats, or Remove again, may run after it. Shutdown clears it, so
        // Report is clean.
        await Verifier.VerifyAsync($$"""
            [DriverManagedDma]
            class Driver
            {
                IommufdDevice? _idev;
                IommufdDevice? _other;

            {{Probe}}

                Errno ProbeOther(IommufdCtx ctx, PciDevice dev)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    _other = idev;
                    return Errno.None;
                }

                void Remove()
                {
                    if (_idev is null) return;
                    // A second Remove finds it released too.
                    Iommufd.DeviceDetach({|IOMMU0052:_idev|});
                    Iommufd.DeviceUnbind(_idev);
                }

                void Stats()
                {
                    if (_idev is null) return;
                    Console.WriteLine(Iommufd.DeviceToId({|IOMMU0052:_idev|}));
                }

                void Shutdown()
                {
                    if (_other is null) return;
                    Iommufd.DeviceUnbind(_other);
                    _other = null;
                }

                void Report()
                {
                    if (_other is { } other) Console.WriteLine(Iommufd.DeviceToId(other));
                }
            }
            """);
    }

    [Fact]
    public async Task Remove_that_unbinds_a_device_probe_attaches_only_sometimes_is_IOMMU0054()
    {
        await Verifier.VerifyAsync("""
            [DriverManagedDma]
            class Driver
            {
                IommufdDevice? _idev;

                Errno Probe(IommufdCtx ctx, PciDevice dev, IoasId? ioas)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    if (ioas is { } target)
                    {
                        rc = Iommufd.DeviceAttach(idev!, target, out var hwpt);
                        if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                        Console.WriteLine(hwpt);
                    }

                    _idev = idev;
                    return Errno.None;
                }

                void Remove()
                {
                    Iommufd.DeviceUnbind({|IOMMU0054:_idev!|});
                    _idev = null;
                }
            }
            """);
    }

    [Fact]
    public async Task Remove_guarded_by_IsAttached_is_clean()
    {
        await Verifier.VerifyAsync($$"""
            [DriverManagedDma]
            class Driver
            {
                IommufdDevice? _idev;

            {{Probe}}

                void Remove()
                {
                    if (_idev!.IsAttached)
                    {
                        Iommufd.DeviceDetach(_idev);
                    }

                    Iommufd.DeviceUnbind(_idev);
                    _idev = null;
                }
            }
            """);
    }

    [Fact]
    public async Task Detach_in_a_member_of_a_type_that_never_attaches_is_IOMMU0007()
    {
        await Verifier.VerifyAsync("""
            [DriverManagedDma]
            class Driver
            {
                IommufdDevice? _idev;

                Errno Probe(IommufdCtx ctx, PciDevice dev)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc == Errno.None) _idev = idev;
                    return rc;
                }

                void Remove()
                {
                    Iommufd.DeviceDetach({|IOMMU0007:_idev!|});
                    Iommufd.DeviceUnbind(_idev!);
                }
            }
            """);
    }

    [Fact]
    public async Task A_field_no_member_releases_is_IOMMU0017()
    {
        await Verifier.VerifyAsync("""
            [DriverManagedDma]
            class Driver
            {
                IommufdDevice? {|IOMMU0017:_idev|};

                Errno Probe(IommufdCtx ctx, PciDevice dev) => Iommufd.DeviceBind(ctx, dev, out _idev, out _);
            }
            """);
    }

    [Fact]
    public async Task A_field_nobody_drives_is_not_checked()
    {
        await Verifier.VerifyAsync("""
            class Holder
            {
                public IommufdDevice? Device;

                void Teardown()
                {
                    Iommufd.DeviceDetach(Device!);
                    Iommufd.DeviceUnbind(Device!);
                }
            }
            """);
    }
}
