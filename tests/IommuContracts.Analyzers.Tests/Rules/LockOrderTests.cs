using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.LockOrderAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Rules;

public class LockOrderTests
{
    [Fact]
    public async Task Taking_a_lower_lock_inside_a_higher_one_is_IOMMU0011_and_an_excluded_call_under_the_lock_is_IOMMU0012()
    {
        await Verifier.VerifyAsync("""
            class Locks
            {
                [LockLevel("ioas", 1)] public readonly object Ioas = new();
                [LockLevel("group", 2)] public readonly object Group = new();
                [LockLevel("iopt", 3)] public readonly object Iopt = new();

                void InOrder()
                {
                    lock (Ioas) { lock (Group) { lock (Iopt) { } } }
                }

                void Inverted()
                {
                    lock (Iopt) { lock ({|IOMMU0011:Ioas|}) { } }
                }

                void DetachUnderIoas(IommufdDevice idev)
                {
                    lock (Ioas) { {|IOMMU0012:Iommufd.DeviceDetach(idev)|}; }
                    lock (Group) { Iommufd.DeviceDetach(idev); }
                }
            }
            """);
    }
}
