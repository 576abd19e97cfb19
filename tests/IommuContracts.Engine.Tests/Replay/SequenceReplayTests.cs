using IommuContracts.Engine.Profiles;
using IommuContracts.Engine.Tests.Fuzz.Sequences;
using IommuContracts.Engine.Tests.Support.Replay;

namespace IommuContracts.Engine.Tests.Replay;

/// <summary>
/// The random differential sequences: reproducible from their seed, agreeing when both sides are the same kernel
/// (whatever the process layout), and when a side differs, caught, minimised to the steps that matter and printed
/// readably.
/// </summary>
public class SequenceReplayTests
{
    [Fact]
    public void A_seed_gives_the_same_sequence_every_time()
    {
        var first = SequenceGenerator.Generate(1234);
        var second = SequenceGenerator.Generate(1234);

        Assert.Equal(first.Describe(), second.Describe());
        Assert.Equal(40, first.Steps.Count);
        Assert.NotEqual(first.Describe(), SequenceGenerator.Generate(1235).Describe());
    }

    [Fact]
    public void Two_hundred_sequences_agree_between_two_process_layouts_of_the_same_kernel()
    {
        var plain = ReplaySide.Simulated(KernelProfile.Linux612);
        ReplaySide shifted = ShiftedHost.Side(KernelProfile.Linux612);
        var successes = 0;

        for (var seed = 1; seed <= 200; seed++)
        {
            var comparison = SequenceReplay.Compare(SequenceGenerator.Generate(seed), plain, shifted);
            Assert.True(comparison.Verdict == Verdict.Agree, comparison.Describe());
            successes += comparison.Left.Steps.Count(s => s.StartsWith("ioctl", StringComparison.Ordinal) && s.Contains(" = 0", StringComparison.Ordinal));
        }

        // The sequences must reach past the argument checks: plenty of ioctls succeed.
        Assert.True(successes > 2000, $"{successes} successful ioctls");
    }

    [Fact]
    public void A_perturbed_profile_is_caught_and_minimised_to_a_short_readable_sequence()
    {
        var engine = ReplaySide.Simulated(KernelProfile.Linux612);
        var perturbed = ReplaySide.Simulated(KernelProfile.Linux612.With(KernelFeatures.HwptInvalidateAnyObject), "perturbed");
        Sequence? failing = null;
        for (var seed = 1; seed <= 300 && failing is null; seed++)
        {
            var sequence = SequenceGenerator.Generate(seed);
            if (SequenceReplay.Compare(sequence, engine, perturbed).Verdict == Verdict.Disagree)
            {
                failing = sequence;
            }
        }

        Assert.NotNull(failing);
        var (minimal, comparison) = SequenceReplay.Minimise(failing!, engine, perturbed);

        Assert.Equal(Verdict.Disagree, comparison.Verdict);
        Assert.True(minimal.Steps.Count <= 4, minimal.Describe());
        Assert.Contains(minimal.Steps, s => s.ToString()!.StartsWith("HWPT_INVALIDATE", StringComparison.Ordinal));
        Assert.Contains("IOMMU_HWPT_INVALIDATE", comparison.Left.Steps[comparison.FirstDifference], StringComparison.Ordinal);
        Assert.EndsWith("= -ENOENT", comparison.Left.Steps[comparison.FirstDifference].Split(" -> ")[0], StringComparison.Ordinal);
        Assert.Contains("= -EINVAL", comparison.Right.Steps[comparison.FirstDifference], StringComparison.Ordinal);
    }

    [Fact]
    public void Delta_debugging_keeps_only_the_items_the_failure_needs()
    {
        var tests = 0;
        var kept = DeltaDebugging.Minimise(40, indices =>
        {
            tests++;
            return indices.Contains(3) && indices.Contains(17) && indices.Contains(29);
        });

        Assert.Equal([3, 17, 29], kept);
        Assert.True(tests < 200, $"{tests} tests");
    }

    [Fact]
    public void Delta_debugging_returns_everything_when_every_item_is_needed()
    {
        var kept = DeltaDebugging.Minimise(5, indices => indices.Count == 5);

        Assert.Equal([0, 1, 2, 3, 4], kept);
    }
}
