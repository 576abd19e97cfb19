using IommuContracts.Analyzers.Tests.Support;
using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.TypestateAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Typestate;

/// <summary>
/// Correct idioms a naive checker flags (and the mistakes hidden in the same shapes): flags that remember an
/// attach, error ladders with goto, rollback in reverse order, switch on the Errno, loops, lambdas, local
/// functions, catch blocks, re-attach through replace, and helpers that declare their contract.
/// </summary>
public class IdiomTests
{
    private const string Driver = """
        [DriverManagedDma]
        class Driver
        {
        BODY
        }
        """;

    private static Task Verify(string members) => Verifier.VerifyAsync(SnippetTemplate.Fill(Driver, members));

    [Fact]
    public async Task A_local_flag_set_after_a_successful_attach_guards_the_detach()
    {
        await Verify("""
                void Run(IommufdCtx ctx, PciDevice dev, IoasId ioas, bool wanted)
                {
                    if (Iommufd.DeviceBind(ctx, dev, out var idev, out _) != Errno.None) return;
                    var attached = false;
                    if (wanted && Iommufd.DeviceAttach(idev!, ioas, out var hwpt) == Errno.None)
                    {
                        Console.WriteLine(hwpt);
                        attached = true;
                    }

                    if (attached)
                    {
                        Iommufd.DeviceDetach(idev!);
                    }

                    Iommufd.DeviceUnbind(idev!);
                }

                void Wrong(IommufdCtx ctx, PciDevice dev, IoasId ioas, bool wanted)
                {
                    if (Iommufd.DeviceBind(ctx, dev, out var idev, out _) != Errno.None) return;
                    var attached = false;
                    if (wanted && Iommufd.DeviceAttach(idev!, ioas, out var hwpt) == Errno.None)
                    {
                        Console.WriteLine(hwpt);
                        attached = true;
                    }

                    if (!attached)
                    {
                        Iommufd.DeviceDetach({|IOMMU0007:idev!|});
                    }

                    Iommufd.DeviceUnbind({|IOMMU0054:idev!|});
                }
            """);
    }

    [Fact]
    public async Task A_goto_ladder_that_rolls_back_in_reverse_order_is_clean_and_one_that_skips_a_rung_leaks()
    {
        await Verify("""
                Errno Ladder(IommufdCtx ctx, PciDevice dev, IoasId ioas, IIommufdAccessOps ops)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) goto fail;
                    rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
                    if (rc != Errno.None) goto unbind;
                    Console.WriteLine(hwpt);
                    rc = Iommufd.AccessCreate(ctx, ops, out var access, out _);
                    if (rc != Errno.None) goto detach;
                    Iommufd.AccessDestroy(access!);
                    Iommufd.DeviceDetach(idev!);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                detach:
                    Iommufd.DeviceDetach(idev!);
                unbind:
                    Iommufd.DeviceUnbind(idev!);
                fail:
                    return rc;
                }

                Errno SkipsARung(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    var rc = {|IOMMU0058:Iommufd.DeviceBind(ctx, dev, out var idev, out _)|};
                    if (rc != Errno.None) goto fail;
                    rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
                    if (rc != Errno.None) goto fail;
                    Console.WriteLine(hwpt);
                    Iommufd.DeviceDetach(idev!);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                fail:
                    return rc;
                }
            """);
    }

    [Fact]
    public async Task A_switch_on_the_errno_narrows_each_case()
    {
        await Verify("""
                Errno Switch(IommufdCtx ctx, PciDevice dev)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    switch (rc)
                    {
                        case Errno.None:
                            Iommufd.DeviceUnbind(idev!);
                            return Errno.None;
                        case Errno.EPERM:
                            return rc;
                        default:
                            return rc;
                    }
                }
            """);
    }

    [Fact]
    public async Task Loops_re_attach_through_replace_and_close_everything()
    {
        await Verify("""
                Errno Move(IommufdDevice idev, PageTableId[] targets)
                {
                    var rc = Iommufd.DeviceAttach(idev, targets[0], out var hwpt);
                    if (rc != Errno.None) return rc;
                    for (var i = 1; i < targets.Length; i++)
                    {
                        rc = Iommufd.DeviceReplace(idev, targets[i], out hwpt);
                        if (rc != Errno.None) break;
                        Console.WriteLine(hwpt);
                    }

                    Iommufd.DeviceDetach(idev);
                    return rc;
                }

                void CloseAll(System.Collections.Generic.List<IommufdDevice> devices)
                {
                    foreach (var idev in devices)
                    {
                        if (idev.IsAttached) Iommufd.DeviceDetach(idev);
                        Iommufd.DeviceUnbind(idev);
                    }

                    devices.Clear();
                }

                Errno AttachInALoop(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    if (Iommufd.DeviceBind(ctx, dev, out var idev, out _) != Errno.None) return Errno.EINVAL;
                    for (var i = 0; i < 2; i++)
                    {
                        if (Iommufd.DeviceAttach({|IOMMU0055:idev!|}, ioas, out var hwpt) != Errno.None) break;
                        Console.WriteLine(hwpt);
                    }

                    if (idev!.IsAttached) Iommufd.DeviceDetach(idev);
                    Iommufd.DeviceUnbind(idev);
                    return Errno.None;
                }
            """);
    }

    [Fact]
    public async Task Lambdas_and_local_functions_are_analysed_on_their_own()
    {
        await Verify("""
                Action Later(IommufdCtx ctx, PciDevice dev)
                {
                    if (Iommufd.DeviceBind(ctx, dev, out var idev, out _) != Errno.None) return () => { };
                    // Captured: released later by the callback, so no leak here.
                    return () => Iommufd.DeviceUnbind(idev!);
                }

                void Local(IommufdCtx ctx, PciDevice dev)
                {
                    Probe();

                    void Probe()
                    {
                        if (Iommufd.DeviceBind(ctx, dev, out var idev, out _) != Errno.None) return;
                        Iommufd.DeviceUnbind(idev!);
                        Iommufd.DeviceUnbind({|IOMMU0002:idev!|});
                    }
                }

                Func<Errno> Lambda(IommufdCtx ctx, PciDevice dev) => () =>
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    Iommufd.DeviceDetach({|IOMMU0007:idev!|});
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                };
            """);
    }

    [Fact]
    public async Task A_lambda_over_plain_values_is_skipped_but_one_holding_a_misuse_is_not()
    {
        await Verify("""
                int Busy(IommufdCtx ctx, PciDevice dev, System.Collections.Generic.List<ulong> iovas)
                {
                    if (Iommufd.DeviceBind(ctx, dev, out var idev, out _) != Errno.None) return 0;
                    // The predicate touches no handle: nothing to analyse in it.
                    var count = System.Linq.Enumerable.Count(iovas, iova => iova >= 0x1000 && iova < 0x10000);
                    Iommufd.DeviceUnbind(idev!);
                    return count;
                }

                // The outer lambda names no handle, but the one it returns misuses one.
                Func<Func<Errno>> Deferred(IommufdCtx ctx, PciDevice dev) => () => () =>
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    Iommufd.DeviceDetach({|IOMMU0007:idev!|});
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                };

                Action Counted(IommufdCtx ctx, PciDevice dev) => () =>
                {
                    Console.WriteLine(System.Linq.Enumerable.Sum(System.Linq.Enumerable.Range(0, 4), i => i * 2));
                    Run();

                    void Run()
                    {
                        if (Iommufd.DeviceBind(ctx, dev, out var idev, out _) != Errno.None) return;
                        Iommufd.DeviceUnbind(idev!);
                        Iommufd.DeviceUnbind({|IOMMU0002:idev!|});
                    }
                };
            """);
    }

    [Fact]
    public async Task A_catch_block_starts_from_any_state_its_try_reached()
    {
        await Verify("""
                void Guarded(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    // The early return after a failed attach leaks the binding (IOMMU0058).
                    if ({|IOMMU0058:Iommufd.DeviceBind(ctx, dev, out var idev, out _)|} != Errno.None) return;
                    try
                    {
                        if (Iommufd.DeviceAttach(idev!, ioas, out var hwpt) != Errno.None) return;
                        Console.WriteLine(hwpt);
                        throw new InvalidOperationException();
                    }
                    catch (InvalidOperationException)
                    {
                        Iommufd.DeviceUnbind({|IOMMU0054:idev!|});
                    }
                }

                void Unknown(IommufdDevice idev)
                {
                    // A parameter's state is the caller's business: nothing to check here.
                    Iommufd.DeviceDetach(idev);
                    Iommufd.DeviceUnbind(idev);
                }
            """);
    }

    [Fact]
    public async Task A_helper_that_declares_its_contract_counts_as_what_it_does()
    {
        await Verify("""
                // The driver's own teardown: detach if needed, then unbind. Callers see a release.
                static void TeardownDevice([RequiresState("Bound", "Attached"), Releases] IommufdDevice idev)
                {
                    if (idev.IsAttached) Iommufd.DeviceDetach(idev);
                    Iommufd.DeviceUnbind(idev);
                }

                static void DetachOnly([RequiresState("Attached")] IommufdDevice idev) => Iommufd.DeviceDetach(idev);

                static void Sloppy([RequiresState("Bound", "Attached")] IommufdDevice idev) => Iommufd.DeviceUnbind({|IOMMU0054:idev|});

                Errno Probe(IommufdCtx ctx, PciDevice dev, IoasId ioas)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
                    Console.WriteLine(hwpt);
                    TeardownDevice(idev!);
                    Console.WriteLine({|IOMMU0002:idev!|}.Id);
                    return rc;
                }
            """);
    }
}
