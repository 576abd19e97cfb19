using IommuContracts.Engine.Profiles;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Engine.Tests.Support.Hosts;
using IommuContracts.Engine.Tests.Support.Replay;

namespace IommuContracts.Engine.Tests.Replay;

/// <summary>
/// The selftest ports run outside xunit on two hosts and compared step by step, as the replay program does against
/// the real kernel: the same profile on differently laid out processes agrees; a profile with one feature taken out
/// disagrees at the step that feature changes, and the report shows both answers.
/// </summary>
public class SelftestReplayTests
{
    [Fact]
    public void Every_port_is_a_scenario_with_theory_rows_expanded()
    {
        var scenarios = SelftestScenario.All();

        Assert.True(scenarios.Count >= 200, $"{scenarios.Count} scenarios");
        Assert.Contains(scenarios, s => s.Id == "IommufdTests.Cmd_length(IOMMU_DESTROY, 15232, 8, 8)");
        Assert.Contains(scenarios, s => s.Id == "IommufdIoasMockDomainTests.Get_hw_info");
        Assert.Equal(scenarios.Count, scenarios.Select(s => s.Id).Distinct().Count());
    }

    [Theory]
    [InlineData("IommufdTests.")]
    [InlineData("IommufdIoasNoDomainTests.")]
    [InlineData("IommufdIoasMockDomainLimitTests.Access_")]
    [InlineData("IommufdVfioCompatTests.")]
    [InlineData("VfioCompatMockDomainVer1v0Tests.")]
    [InlineData("IommufdMockDomainTwoDomainsTests.")]
    [InlineData("IommufdIoasMockDomainLimitTests.Area")]
    public void The_same_profile_on_another_process_layout_records_the_same_steps(string prefix)
    {
        var plain = ReplaySide.Simulated(KernelProfile.Linux612);
        ReplaySide shifted = ShiftedHost.Side(KernelProfile.Linux612);
        var scenarios = SelftestScenario.All().Where(s => s.Id.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(scenarios);

        foreach (var scenario in scenarios)
        {
            var comparison = Comparison.Of(scenario.Id, scenario.Run(plain.Name, plain.Create), scenario.Run(shifted.Name, shifted.Create));
            Assert.True(comparison.Verdict == Verdict.Agree, comparison.Describe());
            Assert.NotEmpty(comparison.Left.Steps);
        }
    }

    [Fact]
    public void A_profile_without_a_feature_disagrees_at_the_step_it_changes_and_shows_both_answers()
    {
        var engine = ReplaySide.Simulated(KernelProfile.Newest);
        var perturbed = ReplaySide.Simulated(KernelProfile.Newest.Without(KernelFeatures.HwInfoInputType), "perturbed");
        var scenario = SelftestScenario.All().Single(s => s.Id == "IommufdIoasMockDomainTests.Get_hw_info");

        var comparison = Comparison.Of(scenario.Id, scenario.Run(engine.Name, engine.Create), scenario.Run(perturbed.Name, perturbed.Create));

        Assert.Equal(Verdict.Disagree, comparison.Verdict);
        var differing = comparison.Right.Steps[comparison.FirstDifference];
        Assert.Contains("IOMMU_GET_HW_INFO", differing, StringComparison.Ordinal);
        Assert.Contains("= -EOPNOTSUPP", differing, StringComparison.Ordinal);
        Assert.DoesNotContain("-EOPNOTSUPP", comparison.Left.Steps[comparison.FirstDifference], StringComparison.Ordinal);
        var report = comparison.Describe();
        Assert.StartsWith("DISAGREE  IommufdIoasMockDomainTests.Get_hw_info", report, StringComparison.Ordinal);
        Assert.Contains("perturbed:", report, StringComparison.Ordinal);
        Assert.Contains("> " + (comparison.FirstDifference + 1), report, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_one_side_cannot_run_is_skipped_with_the_reason()
    {
        var ran = new ScenarioRun("engine", ["open /dev/iommu = fd#1"], RunOutcome.Completed, null);
        var skipped = new ScenarioRun("kernel", [], RunOutcome.Skipped, "needs a simulated-only facility: the kernel log");

        var comparison = Comparison.Of("Some.Scenario", ran, skipped);

        Assert.Equal(Verdict.Skipped, comparison.Verdict);
        Assert.Equal("kernel: needs a simulated-only facility: the kernel log", comparison.Reason);
    }

    [Fact]
    public void Runs_that_end_differently_after_the_same_steps_disagree()
    {
        var passed = new ScenarioRun("engine", ["open /dev/iommu = fd#1"], RunOutcome.Completed, null);
        var failed = new ScenarioRun("kernel", ["open /dev/iommu = fd#1"], RunOutcome.Failed, "assertion: Assert.Equal() Failure");

        Assert.Equal(Verdict.Disagree, Comparison.Of("Some.Scenario", passed, failed).Verdict);
        Assert.Equal(Verdict.Agree, Comparison.Of("Some.Scenario", failed, failed with { Host = "engine" }).Verdict);
    }

    [Fact]
    public void A_fixture_on_a_host_without_the_simulation_names_the_facility_a_test_asks_for()
    {
        var fixture = new IommufdFixture(new ForeignHost(SimulatedProcessHost.Root()));

        var exception = Assert.Throws<SimulatedOnlyException>(() => fixture.Process);

        Assert.Equal("the simulated process", exception.Facility);

        // The teardown still runs (close, reopen, no page pinned), without the kernel log it cannot see.
        fixture.Dispose();
    }
}
