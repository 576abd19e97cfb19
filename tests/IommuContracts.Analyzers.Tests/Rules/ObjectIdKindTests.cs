using IommuContracts.Analyzers.Rules;
using IommuContracts.Analyzers.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.ObjectIdKindAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Rules;

public class ObjectIdKindTests
{
    [Fact]
    public async Task Rebuilding_an_id_from_another_kind_is_IOMMU0105()
    {
        await Verifier.VerifyAsync("""
            class Ids
            {
                void Convert(IoasId ioas, HwptId hwpt, ObjectId raw)
                {
                    var wrong = HwptId.FromObjectId({|IOMMU0105:ioas|});
                    var alsoWrong = HwptId.FromObjectId({|IOMMU0105:ioas.AsObjectId()|});
                    var built = new HwptId({|IOMMU0105:ioas.Value|});
                    var same = HwptId.FromObjectId(hwpt);
                    var untyped = HwptId.FromObjectId(raw);
                    Console.WriteLine($"{wrong} {alsoWrong} {built} {same} {untyped}");
                }
            }
            """);
    }

    [Fact]
    public async Task A_page_table_id_accepts_an_ioas_or_a_hwpt_and_reports_any_other_kind()
    {
        await Verifier.VerifyAsync("""
            class Ids
            {
                void Convert(IoasId ioas, HwptId hwpt, DeviceId device, AccessId access, PageTableId pt, ObjectId raw)
                {
                    var fromIoas = PageTableId.FromObjectId(ioas);
                    var fromHwpt = new PageTableId(hwpt.Value);
                    var fromRaw = PageTableId.FromObjectId(raw);
                    var fromDevice = PageTableId.FromObjectId({|IOMMU0105:device|});
                    var builtFromAccess = new PageTableId({|IOMMU0105:access.Value|});

                    // A page-table ID may name a HWPT or an IOAS: narrowing it is the caller's claim, not a wrong kind.
                    var narrowed = HwptId.FromObjectId(pt);
                    var asIoas = new IoasId(pt.Value);
                    var asDevice = DeviceId.FromObjectId({|IOMMU0105:pt|});
                    Console.WriteLine($"{fromIoas} {fromHwpt} {fromRaw} {fromDevice} {builtFromAccess} {narrowed} {asIoas} {asDevice}");
                }
            }
            """);
    }

    [Fact]
    public async Task The_message_names_both_kinds_without_an_article_to_get_wrong()
    {
        // It said "used as a 'IoasId'"; a kind name can start with any letter, so the text names kinds, not "a"/"an".
        var test = new CSharpAnalyzerTest<ObjectIdKindAnalyzer, DefaultVerifier>
        {
            TestCode = SnippetUsings.Text + """
                class Ids
                {
                    HwptId Convert(IoasId ioas) => HwptId.FromObjectId({|#0:ioas|});
                    IoasId Back(HwptId hwpt) => IoasId.FromObjectId({|#1:hwpt|});
                }
                """,
            ReferenceAssemblies = new ReferenceAssemblies("net8.0"),
        };
        Verifier.AddReferences(test.TestState);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("IOMMU0105", DiagnosticSeverity.Error).WithLocation(0).WithMessage(
            "An ID of kind 'IoasId' is used where an ID of kind 'HwptId' is expected; IDs of different kinds are not interchangeable (the kernel answers ENOENT, or EINVAL where several kinds are accepted)"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("IOMMU0105", DiagnosticSeverity.Error).WithLocation(1).WithMessage(
            "An ID of kind 'HwptId' is used where an ID of kind 'IoasId' is expected; IDs of different kinds are not interchangeable (the kernel answers ENOENT, or EINVAL where several kinds are accepted)"));
        await test.RunAsync();
    }
}
