using IommuContracts.Analyzers.CodeFixes;
using IommuContracts.Analyzers.Tests.Support;

namespace IommuContracts.Analyzers.Tests.CodeFixes;

/// <summary>IOMMU0003: keep the Errno of a call that throws it away (or never reads it) and leave on failure.</summary>
public class AddResultCheckCodeFixTests
{
    [Fact]
    public async Task A_discarded_bind_gets_a_check_and_the_void_unbind_that_used_its_output_is_left_alone()
    {
        // The bug report: the fix used to offer itself on the unbind ("used before the result was checked") and
        // wrap that void call in a second 'var rc' (CS0128, CS0815). The analysis now reports one IOMMU0003 per
        // call, on the discarded result; the unbind must come out of the fix untouched.
        await new ContractFixTest<AddResultCheckCodeFix>("""
            [DriverManagedDma]
            class Driver
            {
                void Probe(IommufdCtx ctx, PciDevice dev)
                {
                    {|IOMMU0003:Iommufd.DeviceBind(ctx, dev, out var idev, out _)|};
                    Iommufd.DeviceUnbind(idev!);
                }
            }
            """, """
            [DriverManagedDma]
            class Driver
            {
                void Probe(IommufdCtx ctx, PciDevice dev)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    if (rc != Errno.None)
                    {
                        return;
                    }
                    Iommufd.DeviceUnbind(idev!);
                }
            }
            """)
        {
            NumberOfIncrementalIterations = 1,
            NumberOfFixAllIterations = 1,
        }.RunAsync();
    }

    [Fact]
    public async Task The_used_before_checked_form_alone_offers_no_fix()
    {
        const string source = """
            [DriverManagedDma]
            class Driver
            {
                Errno Probe(IommufdCtx ctx, PciDevice dev)
                {
                    var rc = Iommufd.DeviceBind(ctx, dev, out var idev, out _);
                    Console.WriteLine(Iommufd.DeviceToId({|IOMMU0003:idev!|}));
                    if (rc != Errno.None) return rc;
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                }
            }
            """;
        await new ContractFixTest<AddResultCheckCodeFix>(source, source).RunAsync();
    }

    [Fact]
    public async Task An_errno_local_whose_value_nobody_reads_any_more_is_reused()
    {
        await new ContractFixTest<AddResultCheckCodeFix>("""
            class Vmm
            {
                Errno Run(SimulatedIoctlFile iommufd)
                {
                    var rc = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var first);
                    if (rc != Errno.None) return rc;
                    {|IOMMU0003:iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var second)|};
                    Console.WriteLine($"{first} {second}");
                    return Errno.None;
                }
            }
            """, """
            class Vmm
            {
                Errno Run(SimulatedIoctlFile iommufd)
                {
                    var rc = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var first);
                    if (rc != Errno.None) return rc;
                    rc = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var second);
                    if (rc != Errno.None)
                    {
                        return rc;
                    }
                    Console.WriteLine($"{first} {second}");
                    return Errno.None;
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task A_local_whose_value_is_read_later_is_not_overwritten_and_names_already_taken_are_skipped()
    {
        await new ContractFixTest<AddResultCheckCodeFix>("""
            class Vmm
            {
                Errno Run(SimulatedIoctlFile iommufd, int rc2)
                {
                    var rc = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var first);
                    {|IOMMU0003:iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var second)|};
                    Console.WriteLine($"{first} {second} {rc2}");
                    if (true)
                    {
                        var rc3 = 3;
                        Console.WriteLine(rc3);
                    }
                    return rc;
                }
            }
            """, """
            class Vmm
            {
                Errno Run(SimulatedIoctlFile iommufd, int rc2)
                {
                    var rc = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var first);
                    var rc4 = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var second);
                    if (rc4 != Errno.None)
                    {
                        return rc4;
                    }
                    Console.WriteLine($"{first} {second} {rc2}");
                    if (true)
                    {
                        var rc3 = 3;
                        Console.WriteLine(rc3);
                    }
                    return rc;
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Several_discarded_calls_share_one_local_in_order()
    {
        await new ContractFixTest<AddResultCheckCodeFix>("""
            class Vmm
            {
                Errno Run(SimulatedIoctlFile iommufd)
                {
                    {|IOMMU0003:iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var first)|};
                    {|IOMMU0003:iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var second)|};
                    Console.WriteLine($"{first} {second}");
                    return Errno.None;
                }
            }
            """, """
            class Vmm
            {
                Errno Run(SimulatedIoctlFile iommufd)
                {
                    var rc = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var first);
                    if (rc != Errno.None)
                    {
                        return rc;
                    }
                    rc = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var second);
                    if (rc != Errno.None)
                    {
                        return rc;
                    }
                    Console.WriteLine($"{first} {second}");
                    return Errno.None;
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task A_stored_result_that_is_never_read_gets_its_check_after_the_statement()
    {
        await new ContractFixTest<AddResultCheckCodeFix>("""
            class Vmm
            {
                Errno Run(SimulatedIoctlFile iommufd)
                {
                    var status = {|IOMMU0003:iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var first)|};
                    Errno again;
                    again = {|IOMMU0003:iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var second)|};
                    Console.WriteLine($"{first} {second}");
                    return Errno.None;
                }
            }
            """, """
            class Vmm
            {
                Errno Run(SimulatedIoctlFile iommufd)
                {
                    var status = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var first);
                    if (status != Errno.None)
                    {
                        return status;
                    }
                    Errno again;
                    again = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var second);
                    if (again != Errno.None)
                    {
                        return again;
                    }
                    Console.WriteLine($"{first} {second}");
                    return Errno.None;
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task An_embedded_call_becomes_a_block_and_async_methods_return_their_errno()
    {
        await new ContractFixTest<AddResultCheckCodeFix>("""
            class Vmm
            {
                async System.Threading.Tasks.Task<Errno> RunAsync(SimulatedIoctlFile iommufd, bool again)
                {
                    await System.Threading.Tasks.Task.Yield();
                    if (again)
                        {|IOMMU0003:iommufd.IoasAlloc(IommuIoasAllocFlags.None, out _)|};
                    return Errno.None;
                }
            }
            """, """
            class Vmm
            {
                async System.Threading.Tasks.Task<Errno> RunAsync(SimulatedIoctlFile iommufd, bool again)
                {
                    await System.Threading.Tasks.Task.Yield();
                    if (again)
                    {
                        var rc = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out _);
                        if (rc != Errno.None)
                        {
                            return rc;
                        }
                    }
                    return Errno.None;
                }
            }
            """).RunAsync();
    }

    [Theory]
    [InlineData("csharp_prefer_braces = false")]
    [InlineData("csharp_prefer_braces = when_multiline:silent")]
    public async Task Without_a_brace_preference_the_check_has_no_braces(string setting)
    {
        await new ContractFixTest<AddResultCheckCodeFix>("""
            class Vmm
            {
                void Run(SimulatedIoctlFile iommufd)
                {
                    {|IOMMU0003:iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var ioas)|};
                    Console.WriteLine(ioas);
                }
            }
            """, """
            class Vmm
            {
                void Run(SimulatedIoctlFile iommufd)
                {
                    var rc = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var ioas);
                    if (rc != Errno.None)
                        return;
                    Console.WriteLine(ioas);
                }
            }
            """, setting).RunAsync();
    }

    [Fact]
    public async Task A_method_that_returns_neither_void_nor_errno_and_a_finally_block_get_no_fix()
    {
        const string source = """
            class Vmm
            {
                bool Run(SimulatedIoctlFile iommufd)
                {
                    {|IOMMU0003:iommufd.IoasAlloc(IommuIoasAllocFlags.None, out _)|};
                    return true;
                }

                void Close(SimulatedIoctlFile iommufd)
                {
                    try
                    {
                        Console.WriteLine();
                    }
                    finally
                    {
                        {|IOMMU0003:iommufd.IoasAlloc(IommuIoasAllocFlags.None, out _)|};
                    }
                }
            }
            """;
        await new ContractFixTest<AddResultCheckCodeFix>(source, source).RunAsync();
    }

    [Fact]
    public async Task An_expression_bodied_void_member_and_lambda_become_block_bodies()
    {
        await new ContractFixTest<AddResultCheckCodeFix>("""
            class Vmm
            {
                void Run(SimulatedIoctlFile iommufd) => {|IOMMU0003:iommufd.IoasAlloc(IommuIoasAllocFlags.None, out _)|};

                Action Later(SimulatedIoctlFile iommufd) => () => {|IOMMU0003:iommufd.IoasAlloc(IommuIoasAllocFlags.None, out _)|};
            }
            """, """
            class Vmm
            {
                void Run(SimulatedIoctlFile iommufd)
                {
                    var rc = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out _);
                    if (rc != Errno.None)
                    {
                        return;
                    }
                }

                Action Later(SimulatedIoctlFile iommufd) => () =>
                {
                    var rc = iommufd.IoasAlloc(IommuIoasAllocFlags.None, out _);
                    if (rc != Errno.None)
                    {
                        return;
                    }
                };
            }
            """).RunAsync();
    }
}
