using IommuContracts.Analyzers.Tests.Support;
using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.TypestateAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Typestate;

/// <summary>
/// The summaries inferred for unannotated methods of the compilation (docs/architecture.md, "Method summaries"): a
/// call applies what the callee's body does to the handles it is given, so the caller goes on from the state the
/// helper leaves; what the analysis cannot follow (recursion, an override it cannot see, a delegate) makes the handle
/// unknown, which is never reported. Each case pairs the correct use with the mistake the summary must still catch.
/// </summary>
public class SummaryInferenceTests
{
    private const string Driver = """
        [DriverManagedDma]
        class Driver
        {
            static Errno Attached(IommufdCtx ctx, PciDevice dev, IoasId ioas, out IommufdDevice? idev)
            {
                var rc = Iommufd.DeviceBind(ctx, dev, out idev, out _);
                if (rc != Errno.None) return rc;
                rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
                if (rc != Errno.None)
                {
                    Iommufd.DeviceUnbind(idev!);
                    idev = null;
                    return rc;
                }

                Console.WriteLine(hwpt);
                return Errno.None;
            }

        BODY
        }
        """;

    private static Task Verify(string members) => Verifier.VerifyAsync(SnippetTemplate.Fill(Driver, members));

    [Fact]
    public async Task A_helper_that_detaches_leaves_the_device_bound()
    {
        await Verify("""
                static void SafeDetach(IommufdDevice device)
                {
                    Console.WriteLine("detaching");
                    Iommufd.DeviceDetach(device);
                }

                void Remove(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    if (Attached(ctx, dev, ioas, out var idev) != Errno.None) return;
                    SafeDetach(idev!);
                    Iommufd.DeviceUnbind(idev!);
                }

                void RemoveTwice(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    if (Attached(ctx, dev, ioas, out var idev) != Errno.None) return;
                    SafeDetach(idev!);
                    Iommufd.DeviceDetach({|IOMMU0007:idev!|});
                    Iommufd.DeviceUnbind(idev!);
                }

                static void Log(IommufdDevice device) => Console.WriteLine(Iommufd.DeviceToId(device));

                void RemoveWithoutDetach(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    if (Attached(ctx, dev, ioas, out var idev) != Errno.None) return;
                    Log(idev!);
                    Iommufd.DeviceUnbind({|IOMMU0004:idev!|});
                }
            """);
    }

    [Fact]
    public async Task A_helper_that_detaches_only_sometimes_leaves_the_device_maybe_attached()
    {
        await Verify("""
                static void DetachIf(IommufdDevice device, bool now)
                {
                    if (now)
                    {
                        Iommufd.DeviceDetach(device);
                    }
                }

                void Remove(IommufdCtx ctx, PciDevice dev, IoasId ioas, bool now)
                {
                    if (Attached(ctx, dev, ioas, out var idev) != Errno.None) return;
                    DetachIf(idev!, now);
                    Iommufd.DeviceUnbind({|IOMMU0054:idev!|});
                }

                // Its bool result says which happened, so the caller's test picks the branch's state.
                static bool TryDetach(IommufdDevice device)
                {
                    if (!device.IsAttached) return false;
                    Iommufd.DeviceDetach(device);
                    return true;
                }

                void RemoveChecked(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    if (Attached(ctx, dev, ioas, out var idev) != Errno.None) return;
                    if (TryDetach(idev!))
                    {
                        Iommufd.DeviceUnbind(idev!);
                    }
                    else
                    {
                        Iommufd.DeviceDetach(idev!);
                        Iommufd.DeviceUnbind(idev!);
                    }
                }
            """);
    }

    [Fact]
    public async Task A_helper_that_stores_the_handle_takes_it_over()
    {
        await Verify("""
                readonly System.Collections.Generic.List<IommufdDevice> _devices = new();
                IommufdDevice? _primary;

                void Keep(IommufdDevice device) => _devices.Add(device);

                void MakePrimary(IommufdDevice device)
                {
                    _primary = device;
                }

                void Probe(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    if (Attached(ctx, dev, ioas, out var idev) != Errno.None) return;
                    Keep(idev!);
                }

                void ProbePrimary(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    if (Attached(ctx, dev, ioas, out var idev) != Errno.None) return;
                    MakePrimary(idev!);
                }

                static void Describe(IommufdDevice device) => Console.WriteLine(Iommufd.DeviceToId(device));

                void ProbeAndForget(IommufdCtx ctx, PciDevice dev)
                {
                    if ({|IOMMU0008:Iommufd.DeviceBind(ctx, dev, out var idev, out _)|} != Errno.None) return;
                    Describe(idev!);
                }

                void Remove()
                {
                    foreach (var device in _devices)
                    {
                        if (device.IsAttached) Iommufd.DeviceDetach(device);
                        Iommufd.DeviceUnbind(device);
                    }

                    _devices.Clear();
                    if (_primary is { } primary)
                    {
                        if (primary.IsAttached) Iommufd.DeviceDetach(primary);
                        Iommufd.DeviceUnbind(primary);
                        _primary = null;
                    }
                }
            """);
    }

    [Fact]
    public async Task Recursion_makes_the_handle_unknown_not_reported()
    {
        await Verify("""
                static void Teardown(IommufdDevice device, int depth)
                {
                    if (depth > 0)
                    {
                        Teardown(device, depth - 1);
                        return;
                    }

                    Iommufd.DeviceDetach(device);
                }

                void Remove(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    if (Attached(ctx, dev, ioas, out var idev) != Errno.None) return;
                    Teardown(idev!, 2);
                    Iommufd.DeviceUnbind(idev!);
                }

                // The handle is known again from the next contract call on: a use after the unbind is still caught.
                void RemoveThenUse(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    if (Attached(ctx, dev, ioas, out var idev) != Errno.None) return;
                    Teardown(idev!, 2);
                    Iommufd.DeviceUnbind(idev!);
                    Iommufd.DeviceUnbind({|IOMMU0002:idev!|});
                }
            """);
    }

    [Fact]
    public async Task A_virtual_or_interface_call_is_followed_only_where_the_target_is_known()
    {
        await Verify("""
                interface IReleaser
                {
                    void Release(IommufdDevice device);
                }

                sealed class Detacher : IReleaser
                {
                    public void Release(IommufdDevice device) => Iommufd.DeviceDetach(device);
                }

                class Policy
                {
                    public virtual void Release(IommufdDevice device) => Iommufd.DeviceDetach(device);
                }

                // Any implementation may run: the device's state after the call is unknown.
                void ThroughInterface(IommufdCtx ctx, PciDevice dev, IoasId ioas, IReleaser releaser)
                {
                    if (Attached(ctx, dev, ioas, out var idev) != Errno.None) return;
                    releaser.Release(idev!);
                    Iommufd.DeviceUnbind(idev!);
                }

                // An override may do something else: unknown too.
                void ThroughVirtual(IommufdCtx ctx, PciDevice dev, IoasId ioas, Policy policy)
                {
                    if (Attached(ctx, dev, ioas, out var idev) != Errno.None) return;
                    policy.Release(idev!);
                    Iommufd.DeviceUnbind(idev!);
                }

                // A sealed receiver has one implementation, followed like a direct call.
                void ThroughSealed(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    if (Attached(ctx, dev, ioas, out var idev) != Errno.None) return;
                    var releaser = new Detacher();
                    releaser.Release(idev!);
                    Iommufd.DeviceDetach({|IOMMU0007:idev!|});
                    Iommufd.DeviceUnbind(idev!);
                }
            """);
    }

    [Fact]
    public async Task Local_functions_are_summarised_like_methods_and_delegates_make_the_handle_unknown()
    {
        await Verify("""
                void Remove(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    if (Attached(ctx, dev, ioas, out var idev) != Errno.None) return;
                    DetachIt();
                    Iommufd.DeviceUnbind(idev!);

                    void DetachIt() => Iommufd.DeviceDetach(idev!);
                }

                void RemoveTwice(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    if (Attached(ctx, dev, ioas, out var idev) != Errno.None) return;
                    DetachIt(idev!);
                    Iommufd.DeviceDetach({|IOMMU0007:idev!|});
                    Iommufd.DeviceUnbind(idev!);

                    static void DetachIt(IommufdDevice device) => Iommufd.DeviceDetach(device);
                }

                void ThroughDelegate(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    if (Attached(ctx, dev, ioas, out var idev) != Errno.None) return;
                    Action detach = () => Iommufd.DeviceDetach(idev!);
                    detach();
                    Iommufd.DeviceUnbind(idev!);
                }
            """);
    }
}
