using IommuContracts.Analyzers.Rules;
using IommuContracts.Analyzers.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.TypestateAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Typestate;

/// <summary>
/// Per-PASID attach state ([StateKey]): DeviceAttach / DeviceReplace / DeviceDetach with a pasid, and DeviceUnbind with
/// a PASID still attached, under the RID's rules (IOMMU0004–0007 and their "some path" twins). PASID 0 is the RID.
/// </summary>
public class PasidTests
{
    private const string Driver = """
        [DriverManagedDma]
        class Driver
        {
            Errno Run(IommufdCtx ctx, PciDevice dev, HwptId hwpt, uint pasid, uint[] pasids)
            {
        BODY
            }
        }
        """;

    private const string Bind = """
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;

        """;

    private static Task Verify(string body) => Verifier.VerifyAsync(SnippetTemplate.Fill(Driver, Bind + body));

    private static Task VerifySource(string source) => Verifier.VerifyAsync(source);

    [Fact]
    public async Task Attach_detach_unbind_of_a_PASID_is_clean()
    {
        await Verify("""
                    rc = Iommufd.DeviceAttach(idev!, 1, hwpt, out var used);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    Console.WriteLine(used);
                    Iommufd.DeviceDetach(idev!, 1);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
            """);
    }

    [Fact]
    public async Task Attaching_the_same_PASID_twice_is_IOMMU0005()
    {
        await Verify("""
                    rc = Iommufd.DeviceAttach(idev!, 1, hwpt, out var first);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    rc = Iommufd.DeviceAttach(idev!, {|IOMMU0005:1|}, hwpt, out var second);
                    Console.WriteLine(first + " " + second);
                    Iommufd.DeviceDetach(idev!, 1);
                    Iommufd.DeviceUnbind(idev!);
                    return rc;
            """);
    }

    [Fact]
    public async Task Another_PASID_or_the_RID_is_not_the_same_attachment()
    {
        await Verify("""
                    rc = Iommufd.DeviceAttach(idev!, 1, hwpt, out var first);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    rc = Iommufd.DeviceAttach(idev!, 2, hwpt, out var second);
                    if (rc != Errno.None) { Iommufd.DeviceDetach(idev!, 1); Iommufd.DeviceUnbind(idev!); return rc; }
                    rc = Iommufd.DeviceAttach(idev!, hwpt, out var rid);
                    if (rc == Errno.None) Iommufd.DeviceDetach(idev!);
                    Console.WriteLine(first + " " + second + " " + rid);
                    Iommufd.DeviceDetach(idev!, 2);
                    Iommufd.DeviceDetach(idev!, 1);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
            """);
    }

    [Fact]
    public async Task Detaching_a_PASID_never_attached_or_twice_is_IOMMU0007()
    {
        await Verify("""
                    rc = Iommufd.DeviceAttach(idev!, 1, hwpt, out var used);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    Console.WriteLine(used);
                    Iommufd.DeviceDetach(idev!, {|IOMMU0007:2|});
                    Iommufd.DeviceDetach(idev!, 1);
                    Iommufd.DeviceDetach(idev!, {|IOMMU0007:1|});
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
            """);
    }

    [Fact]
    public async Task Detaching_after_an_untested_attach_is_IOMMU0057()
    {
        await Verify("""
                    var attached = Iommufd.DeviceAttach(idev!, 3, hwpt, out var used);
                    Console.WriteLine(used);
                    Iommufd.DeviceDetach(idev!, {|IOMMU0057:3|});
                    Iommufd.DeviceUnbind(idev!);
                    return attached;
            """);
    }

    [Fact]
    public async Task Replacing_a_PASID_that_is_not_attached_is_IOMMU0006()
    {
        await Verify("""
                    rc = Iommufd.DeviceReplace(idev!, {|IOMMU0006:4|}, hwpt, out var used);
                    Console.WriteLine(used);
                    Iommufd.DeviceUnbind(idev!);
                    return rc;
            """);
    }

    [Fact]
    public async Task Unbinding_with_a_PASID_attached_is_IOMMU0004_and_names_it()
    {
        var test = new CSharpAnalyzerTest<TypestateAnalyzer, DefaultVerifier>
        {
            TestCode = SnippetUsings.Text + SnippetTemplate.Fill(Driver, Bind + """
                    rc = Iommufd.DeviceAttach(idev!, 5, hwpt, out var used);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    Console.WriteLine(used);
                    {|#0:Iommufd.DeviceUnbind(idev!)|};
                    return Errno.None;
            """),
            ReferenceAssemblies = new ReferenceAssemblies("net8.0"),
        };
        Verifier.AddReferences(test.TestState);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("IOMMU0004", DiagnosticSeverity.Error).WithLocation(0).WithMessage(
            "'idev (pasid 5)' is unbound while attached; call DeviceDetach first"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Unbinding_after_an_untested_PASID_attach_is_IOMMU0054()
    {
        await Verify("""
                    var attached = Iommufd.DeviceAttach(idev!, 5, hwpt, out var used);
                    Console.WriteLine(used);
                    {|IOMMU0054:Iommufd.DeviceUnbind(idev!)|};
                    return attached;
            """);
    }

    [Fact]
    public async Task PASID_0_is_the_RID()
    {
        await Verify("""
                    rc = Iommufd.DeviceAttach(idev!, 0, hwpt, out var used);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    Console.WriteLine(used);
                    Iommufd.DeviceDetach(idev!);
                    Iommufd.DeviceDetach({|IOMMU0007:idev!|}, 0);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
            """);
    }

    [Fact]
    public async Task Unbinding_after_attaching_PASID_0_is_the_RID_still_attached()
    {
        await Verify("""
                    rc = Iommufd.DeviceAttach(idev!, 0, hwpt, out var used);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    Console.WriteLine(used);
                    Iommufd.DeviceUnbind({|IOMMU0004:idev!|});
                    return Errno.None;
            """);
    }

    [Fact]
    public async Task A_variable_PASID_is_followed_until_it_is_assigned_again()
    {
        await Verify("""
                    rc = Iommufd.DeviceAttach(idev!, pasid, hwpt, out var used);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    Console.WriteLine(used);
                    Iommufd.DeviceDetach(idev!, pasid);
                    Iommufd.DeviceDetach(idev!, {|IOMMU0007:pasid|});
                    pasid = 7;
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
            """);
    }

    [Fact]
    public async Task A_PASID_the_analysis_cannot_name_is_not_checked()
    {
        await Verify("""
                    rc = Iommufd.DeviceAttach(idev!, pasids[0], hwpt, out var used);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    Console.WriteLine(used);
                    Iommufd.DeviceDetach(idev!, pasids[0]);
                    Iommufd.DeviceDetach(idev!, pasids[1]);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
            """);
    }

    [Fact]
    public async Task A_variable_PASID_may_be_a_constant_one_so_neither_is_reported()
    {
        await Verify("""
                    rc = Iommufd.DeviceAttach(idev!, 1, hwpt, out var used);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    Console.WriteLine(used);
                    Iommufd.DeviceDetach(idev!, pasid);
                    Iommufd.DeviceDetach(idev!, 1);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
            """);
    }

    [Fact]
    public async Task A_loop_that_attaches_with_rollback_and_detaches_in_reverse_is_clean()
    {
        await Verify("""
                    for (var i = 0; i < pasids.Length; i++)
                    {
                        rc = Iommufd.DeviceAttach(idev!, pasids[i], hwpt, out var used);
                        if (rc != Errno.None)
                        {
                            while (--i >= 0) Iommufd.DeviceDetach(idev!, pasids[i]);
                            Iommufd.DeviceUnbind(idev!);
                            return rc;
                        }

                        Console.WriteLine(used);
                    }

                    foreach (var p in pasids) Iommufd.DeviceDetach(idev!, p);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
            """);
    }

    [Fact]
    public async Task A_foreach_that_attaches_and_unbinds_without_detaching_is_IOMMU0054()
    {
        await Verify("""
                    foreach (var p in pasids)
                    {
                        rc = Iommufd.DeviceAttach(idev!, p, hwpt, out var used);
                        if (rc != Errno.None) break;
                        Console.WriteLine(used);
                    }

                    {|IOMMU0054:Iommufd.DeviceUnbind(idev!)|};
                    return rc;
            """);
    }

    [Fact]
    public async Task A_foreach_that_attaches_and_detaches_each_PASID_is_clean()
    {
        await Verify("""
                    foreach (var p in pasids)
                    {
                        rc = Iommufd.DeviceAttach(idev!, p, hwpt, out var used);
                        if (rc != Errno.None) continue;
                        Console.WriteLine(used);
                        Iommufd.DeviceDetach(idev!, p);
                    }

                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
            """);
    }

    [Fact]
    public async Task IsPasidAttached_guards_a_detach_and_its_negation_is_IOMMU0007()
    {
        await Verify("""
                    rc = Iommufd.DeviceAttach(idev!, pasid, hwpt, out var used);
                    Console.WriteLine(used);
                    if (idev!.IsPasidAttached(pasid)) Iommufd.DeviceDetach(idev!, pasid);
                    if (!idev!.IsPasidAttached(9)) Iommufd.DeviceDetach(idev!, {|IOMMU0007:9|});
                    Iommufd.DeviceUnbind(idev!);
                    return rc;
            """);
    }

    [Fact]
    public async Task IsPasidAttached_in_a_pattern_and_a_comparison_guards_too()
    {
        await Verify("""
                    rc = Iommufd.DeviceAttach(idev!, 2, hwpt, out var used);
                    Console.WriteLine(used);
                    if (idev!.IsPasidAttached(2) == true) Iommufd.DeviceDetach(idev!, 2);
                    if (idev!.IsPasidAttached(pasid) is true) Iommufd.DeviceDetach(idev!, pasid);
                    if (idev?.IsPasidAttached(7) == true) Iommufd.DeviceDetach(idev, 7);
                    Iommufd.DeviceUnbind(idev!);
                    return rc;
            """);
    }

    [Fact]
    public async Task A_helper_that_detaches_every_attached_PASID_leaves_them_unknown()
    {
        await VerifySource("""
            using System.Collections.Generic;
            using System.Linq;

            [DriverManagedDma]
            class Driver
            {
                static void DetachAll(IommufdDevice idev)
                {
                    foreach (var p in idev.AttachedPasids.ToArray()) Iommufd.DeviceDetach(idev, p);
                }

                Errno Run(IommufdCtx ctx, PciDevice dev, HwptId hwpt)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.DeviceAttach(idev!, 1, hwpt, out var used);
                    Console.WriteLine(used);
                    DetachAll(idev!);
                    Iommufd.DeviceUnbind(idev!);
                    return rc;
                }
            }
            """);
    }

    [Fact]
    public async Task A_helper_with_a_PASID_parameter_carries_its_effect_to_the_caller()
    {
        await VerifySource("""
            using System.Collections.Generic;
            using System.Linq;

            [DriverManagedDma]
            class Driver
            {
                static Errno AttachOne(IommufdDevice idev, uint pasid, HwptId hwpt)
                {
                    var rc = Iommufd.DeviceAttach(idev, pasid, hwpt, out var used);
                    Console.WriteLine(used);
                    return rc;
                }

                static void DetachOne(IommufdDevice idev, uint pasid) => Iommufd.DeviceDetach(idev, pasid);

                Errno Run(IommufdCtx ctx, PciDevice dev, HwptId hwpt)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    rc = AttachOne(idev!, 6, hwpt);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    rc = AttachOne(idev!, 7, hwpt);
                    if (rc != Errno.None) { DetachOne(idev!, 6); Iommufd.DeviceUnbind(idev!); return rc; }
                    DetachOne(idev!, 6);
                    {|IOMMU0004:Iommufd.DeviceUnbind(idev!)|};
                    return Errno.None;
                }
            }
            """);
    }

    [Fact]
    public async Task A_class_that_keeps_its_PASIDs_and_detaches_them_in_Dispose_is_clean()
    {
        await VerifySource("""
            using System.Collections.Generic;
            using System.Linq;

            [DriverManagedDma]
            sealed class PasidTable : IDisposable
            {
                private readonly IommufdDevice _idev;
                private readonly List<uint> _attached = new();

                public PasidTable(IommufdDevice idev) => _idev = idev;

                public Errno Add(uint pasid, HwptId hwpt)
                {
                    if (_idev.IsPasidAttached(pasid))
                    {
                        return Iommufd.DeviceReplace(_idev, pasid, hwpt, out _);
                    }

                    var rc = Iommufd.DeviceAttach(_idev, pasid, hwpt, out var used);
                    if (rc != Errno.None) return rc;
                    Console.WriteLine(used);
                    _attached.Add(pasid);
                    return Errno.None;
                }

                public void Remove(uint pasid)
                {
                    if (_attached.Remove(pasid)) Iommufd.DeviceDetach(_idev, pasid);
                }

                public void Dispose()
                {
                    foreach (var pasid in _attached) Iommufd.DeviceDetach(_idev, pasid);
                    _attached.Clear();
                    Iommufd.DeviceUnbind(_idev);
                }
            }
            """);
    }

    [Fact]
    public async Task A_field_PASID_is_followed_until_a_method_of_this_may_change_it()
    {
        await VerifySource("""
            [DriverManagedDma]
            sealed class Queue
            {
                private IommufdDevice? _idev;
                private readonly HwptId _hwpt;
                private uint _pasid;

                public Queue(HwptId hwpt, uint pasid) => (_hwpt, _pasid) = (hwpt, pasid);

                public Errno Open(IommufdCtx ctx, PciDevice dev) => Iommufd.DeviceBind(ctx, dev, out _idev, out _);

                public void Close()
                {
                    if (_idev is null) return;
                    foreach (var pasid in _idev.AttachedPasids) Iommufd.DeviceDetach(_idev, pasid);
                    Iommufd.DeviceUnbind(_idev);
                    _idev = null;
                }

                private void Next() => _pasid++;

                public Errno Cycle()
                {
                    if (_idev is null) return Errno.ENODEV;
                    var rc = Iommufd.DeviceAttach(_idev, _pasid, _hwpt, out var used);
                    if (rc != Errno.None) return rc;
                    Console.WriteLine(used);
                    Next();
                    rc = Iommufd.DeviceAttach(_idev, _pasid, _hwpt, out used);
                    Console.WriteLine(used);
                    return rc;
                }

                public Errno Twice()
                {
                    if (_idev is null) return Errno.ENODEV;
                    var rc = Iommufd.DeviceAttach(_idev, _pasid, _hwpt, out var used);
                    if (rc != Errno.None) return rc;
                    Console.WriteLine(used);
                    rc = Iommufd.DeviceAttach(_idev, {|IOMMU0005:_pasid|}, _hwpt, out used);
                    Console.WriteLine(used);
                    return rc;
                }
            }
            """);
    }

    [Fact]
    public async Task IsPasidAttached_in_a_switch_expression_or_a_switch_statement_guards()
    {
        // A parameter's PASID 4 is known once the method attached it itself.
        await VerifySource("""
            [DriverManagedDma]
            static class Handler
            {
                public static Errno Move(IommufdDevice idev, HwptId first, HwptId second)
                {
                    var rc = Iommufd.DeviceAttach(idev, 4, first, out var used);
                    if (rc != Errno.None) return rc;
                    Console.WriteLine(used);
                    rc = idev.IsPasidAttached(4) switch
                    {
                        true => Iommufd.DeviceReplace(idev, 4, second, out used),
                        _ => Iommufd.DeviceAttach(idev, 4, second, out used),
                    };
                    Console.WriteLine(used);
                    switch (idev.IsPasidAttached(4))
                    {
                        case true:
                            Iommufd.DeviceDetach(idev, 4);
                            break;
                    }

                    Iommufd.DeviceDetach(idev, {|IOMMU0007:4|});
                    return rc;
                }
            }
            """);
    }

    [Fact]
    public async Task A_helper_that_detaches_a_PASID_when_attached_leaves_it_detached()
    {
        await VerifySource("""
            [DriverManagedDma]
            class Driver
            {
                static void Release(IommufdDevice idev, uint pasid)
                {
                    if (idev.IsPasidAttached(pasid)) Iommufd.DeviceDetach(idev, pasid);
                }

                Errno Run(IommufdCtx ctx, PciDevice dev, HwptId hwpt)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.DeviceAttach(idev!, 3, hwpt, out var used);
                    Console.WriteLine(used);
                    Release(idev!, 3);
                    rc = Iommufd.DeviceAttach(idev!, 3, hwpt, out used);
                    Console.WriteLine(used);
                    Release(idev!, 3);
                    Iommufd.DeviceDetach(idev!, {|IOMMU0007:3|});
                    Iommufd.DeviceUnbind(idev!);
                    return rc;
                }
            }
            """);
    }

    [Fact]
    public async Task A_lambda_or_a_local_function_that_detaches_is_followed_or_forgotten()
    {
        await Verify("""
                    rc = Iommufd.DeviceAttach(idev!, 1, hwpt, out var used);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    Console.WriteLine(used);
                    void DetachOne() => Iommufd.DeviceDetach(idev!, 1);
                    DetachOne();
                    rc = Iommufd.DeviceAttach(idev!, 2, hwpt, out used);
                    Console.WriteLine(used);
                    Action cleanup = () => Iommufd.DeviceDetach(idev!, 2);
                    if (rc == Errno.None) cleanup();
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
            """);
    }

    [Fact]
    public async Task PASIDs_a_helper_attached_in_a_loop_count_at_unbind_until_a_helper_detaches_them()
    {
        await VerifySource("""
            [DriverManagedDma]
            class Driver
            {
                static void AttachEach(IommufdDevice idev, uint[] pasids, HwptId hwpt)
                {
                    foreach (var pasid in pasids)
                    {
                        if (Iommufd.DeviceAttach(idev, pasid, hwpt, out var used) != Errno.None) return;
                        Console.WriteLine(used);
                    }
                }

                static void DetachEach(IommufdDevice idev, uint[] pasids)
                {
                    foreach (var pasid in pasids) Iommufd.DeviceDetach(idev, pasid);
                }

                Errno Forgets(IommufdCtx ctx, PciDevice dev, HwptId hwpt, uint[] pasids)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    AttachEach(idev!, pasids, hwpt);
                    {|IOMMU0054:Iommufd.DeviceUnbind(idev!)|};
                    return Errno.None;
                }

                Errno Cleans(IommufdCtx ctx, PciDevice dev, HwptId hwpt, uint[] pasids)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    AttachEach(idev!, pasids, hwpt);
                    DetachEach(idev!, pasids);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                }
            }
            """);
    }
}
