using IommuContracts.Analyzers.Tests.Support;
using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.TypestateAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Typestate;

/// <summary>An in-kernel access must be attached before it pins or reads, once, and not used after destroy (IOMMU0013 / 0063).</summary>
public class AccessTests
{
    private const string Ops = """
        class Emulated : IIommufdAccessOps
        {
            public bool NeedsPinPages => true;

            public void Unmap(ulong iova, ulong length) { }

            Errno Run(IommufdCtx ctx, IoasId ioas, bool early)
            {
        BODY
            }
        }
        """;

    private static Task Verify(string body) => Verifier.VerifyAsync(SnippetTemplate.Fill(Ops, body));

    [Fact]
    public async Task Pinning_before_attach_is_IOMMU0013()
    {
        await Verify("""
                    var rc = Iommufd.AccessCreate(ctx, this, out var access, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.AccessPinPages({|IOMMU0013:access!|}, 0x1000, 0x1000, false, out _);
                    Iommufd.AccessDestroy(access!);
                    return rc;
            """);
    }

    [Fact]
    public async Task Reading_after_a_conditional_attach_is_IOMMU0063()
    {
        await Verify("""
                    var rc = Iommufd.AccessCreate(ctx, this, out var access, out _);
                    if (rc != Errno.None) return rc;
                    if (early && Iommufd.AccessAttach(access!, ioas) != Errno.None)
                    {
                        Iommufd.AccessDestroy(access!);
                        return Errno.EINVAL;
                    }

                    rc = Iommufd.AccessRw({|IOMMU0063:access!|}, 0x1000, new byte[8], AccessRwFlags.Read);
                    Iommufd.AccessDestroy(access!);
                    return rc;
            """);
    }

    [Fact]
    public async Task Use_after_destroy_is_IOMMU0013_and_attach_twice_is_IOMMU0013()
    {
        await Verify("""
                    var rc = Iommufd.AccessCreate(ctx, this, out var access, out _);
                    if (rc != Errno.None) return rc;
                    if (Iommufd.AccessAttach(access!, ioas) != Errno.None) { Iommufd.AccessDestroy(access!); return Errno.EINVAL; }
                    rc = Iommufd.AccessAttach({|IOMMU0013:access!|}, ioas);
                    Iommufd.AccessDestroy(access!);
                    Iommufd.AccessUnpinPages({|IOMMU0013:access!|}, 0x1000, 0x1000);
                    return rc;
            """);
    }

    [Fact]
    public async Task The_correct_sequence_is_clean()
    {
        await Verify("""
                    var rc = Iommufd.AccessCreate(ctx, this, out var access, out _);
                    if (rc != Errno.None) return rc;
                    try
                    {
                        rc = Iommufd.AccessAttach(access!, ioas);
                        if (rc != Errno.None) return rc;
                        rc = Iommufd.AccessPinPages(access!, 0x1000, 0x1000, false, out _);
                        if (rc == Errno.None) Iommufd.AccessUnpinPages(access!, 0x1000, 0x1000);
                        Iommufd.AccessDetach(access!);
                        return rc;
                    }
                    finally
                    {
                        Iommufd.AccessDestroy(access!);
                    }
            """);
    }
}
