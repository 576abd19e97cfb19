using IommuContracts.Engine.Profiles;
using IommuContracts.Engine.Tests.Support.Replay;

namespace IommuContracts.Engine.Tests.Replay;

/// <summary>
/// The VT-d boot's tour on the engine's VT-d-shaped guest: what it records is what the real guest must record,
/// so the claims of the VT-d shape are in its steps.
/// </summary>
public class VtdTourTests
{
    [Fact]
    public void The_tour_records_the_vtd_shape_and_agrees_across_layouts()
    {
        var run = VtdTour.Run(VtdTour.Engine(KernelProfile.Linux612));

        Assert.Equal(RunOutcome.Completed, run.Outcome);
        Assert.Contains(run.Steps, s => s.Contains("IOMMU_GET_HW_INFO", StringComparison.Ordinal) && s.EndsWith("= 0 -> {data_len=0x18 data_type=IntelVtd}", StringComparison.Ordinal));

        // iommu_hw_info_vtd: flags 1 (the erratum), then CAP 0x00D2008C22260286 and ECAP 0xF00F4A, little-endian.
        Assert.Contains("read map#1+0x0 0x20 = 0 0100000000000000860226228C00D2004A0FF000000000000000000000000000", run.Steps);

        // Two ranges: [0, 0xFEDFFFFF] and [0xFEF00000, 2^39 - 1], alignment 4 KiB.
        Assert.Contains(run.Steps, s => s.Contains("IOMMU_IOAS_IOVA_RANGES", StringComparison.Ordinal) && s.EndsWith("= 0 -> {num_iovas=2 out_iova_alignment=0x1000}", StringComparison.Ordinal));
        Assert.Contains(run.Steps, s => s.Contains("iova=0xFEE00000} = -EINVAL", StringComparison.Ordinal));
        Assert.Contains(run.Steps, s => s.Contains("flags=1 dev_id=1 pt_id=3", StringComparison.Ordinal) && s.EndsWith("= -EOPNOTSUPP", StringComparison.Ordinal));

        var comparison = VtdTour.Compare(VtdTour.Engine(KernelProfile.Linux612), VtdTour.Engine(KernelProfile.Linux612) with { Name = "again" });
        Assert.True(comparison.Verdict == Verdict.Agree, comparison.Describe());
    }

    [Fact]
    public void The_newest_kernel_reads_the_input_type_flag_6_12_refuses()
    {
        var comparison = VtdTour.Compare(VtdTour.Engine(KernelProfile.Linux612), VtdTour.Engine(KernelProfile.Newest));

        Assert.Equal(Verdict.Disagree, comparison.Verdict);
        Assert.Contains("flags=1", comparison.Left.Steps[comparison.FirstDifference], StringComparison.Ordinal);
        Assert.EndsWith("= -EOPNOTSUPP", comparison.Left.Steps[comparison.FirstDifference], StringComparison.Ordinal);
    }
}
