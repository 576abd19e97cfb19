using System.Diagnostics;
using System.Text.RegularExpressions;
using IommuContracts.Linux;

namespace IommuContracts.Engine.Tests.Samples;

/// <summary>
/// The README's first command, <c>dotnet run --project samples/Passthrough</c>, as a newcomer sees it: every step
/// answers what the kernel answers and nothing leaks; with <c>--device</c> the real-host path reports a missing
/// node through the same errno path and exits with its own code.
/// </summary>
public partial class PassthroughSampleTests
{
    private const string Configuration =
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    [Fact]
    public async Task The_simulated_tour_answers_like_the_kernel_and_leaks_nothing()
    {
        var (exitCode, output) = await RunSample();

        Assert.True(exitCode == 0, output);
        AssertStep(output, "VFIO_DEVICE_ATTACH_IOMMUFD_PT before BIND", "EINVAL");
        AssertStep(output, "VFIO_DEVICE_ATTACH_IOMMUFD_PT (to the IOAS)", "ok");
        AssertStep(output, "IOMMU_GET_HW_INFO", "ok");
        AssertStep(output, "IOMMU_IOAS_IOVA_RANGES", "ok");
        Assert.Matches(@"automatic HwptId\(\d+\)", output);

        AssertStep(output, "IOMMU_IOAS_MAP over the reserved MSI window", "EINVAL");
        AssertStep(output, "device writes the read-only page", "EIO");
        AssertStep(output, "VFIO_DEVICE_BIND_IOMMUFD (allow_unsafe_interrupts off)", "EPERM");
        AssertStep(output, "IOMMU_DESTROY the IOAS while the NIC is attached", "EBUSY");
        AssertStep(output, "IOMMU_IOAS_UNMAP everything", "ok");
        Assert.Contains("guest RAM at +0x1000 now reads \"hello from the NIC\"", output, StringComparison.Ordinal);
        Assert.Contains("pinned pages charged to the user: 0; pins on guest RAM: 0", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "0x7FFFFFFFFF")]
    [InlineData(new[] { "--aw-bits", "48" }, "0xFFFFFFFFFFFF")]
    public async Task The_tour_machine_is_shaped_like_the_qemu_guests_vtd(string[] args, string apertureLast)
    {
        var (exitCode, output) = await RunSample(args);

        // The IOAS of a device behind QEMU's intel-iommu: the aperture minus the interrupt window.
        Assert.True(exitCode == 0, output);
        Assert.Contains("usable IOVA [0x0, 0xFEDFFFFF]", output, StringComparison.Ordinal);
        Assert.Contains($"usable IOVA [0xFEF00000, {apertureLast}]", output, StringComparison.Ordinal);
        Assert.Contains("the NIC's MSI window at 0xFEE00000 is reserved", output, StringComparison.Ordinal);
        AssertStep(output, "IOMMU_IOAS_MAP over the reserved MSI window", "EINVAL");
    }

    [Fact]
    public async Task The_generic_machine_keeps_its_software_msi_window()
    {
        var (exitCode, output) = await RunSample("--iommu", "generic");

        // The NIC's software MSI window [0x8000000, 0x80FFFFF] is cut out of the usable ranges.
        Assert.True(exitCode == 0, output);
        Assert.Contains("usable IOVA [0x0, 0x7FFFFFF]", output, StringComparison.Ordinal);
        Assert.Contains("usable IOVA [0x8100000, 0xFFFFFFFFFFFF]", output, StringComparison.Ordinal);
        AssertStep(output, "IOMMU_IOAS_MAP over the reserved MSI window", "EINVAL");
    }

    [Fact]
    public async Task An_unknown_option_prints_the_usage_and_exits_64()
    {
        var (exitCode, output) = await RunSample("--iommu", "amd");

        Assert.Equal(64, exitCode);
        Assert.Contains("usage: Passthrough", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_real_host_tour_reports_a_missing_device_node_and_exits_2()
    {
        var missing = "/dev/vfio/devices/vfio-" + Guid.NewGuid().ToString("N");

        var (exitCode, output) = await RunSample("--device", missing);

        Assert.True(exitCode == 2, output);
        if (!LinuxIoctlFile.IsSupported)
        {
            AssertStep(output, "open /dev/iommu", "ENOSYS");
        }
        else if (!File.Exists("/dev/iommu"))
        {
            AssertStep(output, "open /dev/iommu", "ENOENT");
        }
        else if (StepOutcomes(output).GetValueOrDefault("open /dev/iommu") == "ok")
        {
            // A host with iommufd that lets this user in: the made-up device node is what is missing.
            AssertStep(output, "open " + missing, "ENOENT");
        }
        else
        {
            AssertStep(output, "open /dev/iommu", "EACCES");
        }
    }

    private static void AssertStep(string output, string step, string outcome)
    {
        var outcomes = StepOutcomes(output);
        Assert.True(outcomes.ContainsKey(step), $"no step '{step}' in:\n{output}");
        Assert.Equal(outcome, outcomes[step]);
    }

    // Report.Step prints " 7. <step, padded> -> <ok or errno>   <detail>".
    private static Dictionary<string, string> StepOutcomes(string output)
        => output.Split('\n')
            .Select(line => StepLine().Match(line))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups["step"].Value, m => m.Groups["outcome"].Value, StringComparer.Ordinal);

    [GeneratedRegex(@"^\s*\d+\. (?<step>.+?)\s+-> (?<outcome>\S+)")]
    private static partial Regex StepLine();

    private static async Task<(int ExitCode, string Output)> RunSample(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepositoryPaths.Of("samples", "Passthrough", "bin", Configuration, "net10.0", "Passthrough.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
