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
}
