using System.Reflection;
using IommuContracts.Contracts;
using IommuContracts.Engine.Profiles;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Profiles;

/// <summary>The profile catalog: complete for every command the engine serves, consistent, and documented.</summary>
public class KernelProfileTests
{
    [Fact]
    public void Every_iommufd_command_declares_the_release_that_brought_it()
    {
        var commands = typeof(IommuIoasMap).Assembly.GetTypes()
            .Select(t => t.GetCustomAttribute<IoctlCommandAttribute>())
            .Where(a => a is { Type: IoctlTypes.Iommufd, Convention: IoctlConvention.Iommufd } && a.Number >= 0x80)
            .Select(a => a!)
            .ToList();
        Assert.NotEmpty(commands);

        foreach (var command in commands)
        {
            var feature = KernelFeatures.CommandAt(command.Number);
            Assert.True(feature is not null, $"{command.Name} (0x{command.Number:X2}) has no entry in KernelFeatures: declare its first kernel release there");
            Assert.Equal(command.Name, feature!.Name);
        }
    }

    [Fact]
    public void Linux_6_12s_table_ends_at_fault_queue_alloc()
    {
        var present = KernelFeatures.All.Where(f => f.Kind == KernelFeatureKind.Command && KernelProfile.Linux612.Supports(f)).Select(f => f.Number).ToList();

        Assert.Equal(0x8Eu, present.Where(n => n != 0xA0).Max());
        Assert.Equal(Enumerable.Range(0x80, 15).Select(n => (uint)n).Append(0xA0u), present.Order());
        Assert.All(KernelFeatures.All, f => Assert.True(KernelProfile.Newest.Supports(f), f.Name));
    }

    [Fact]
    public void Every_feature_newer_than_6_12_is_listed_in_docs_kernel_profiles()
    {
        var text = File.ReadAllText(RepositoryPaths.Of("docs", "kernel-profiles.md"));

        foreach (var feature in KernelFeatures.All.Where(f => !KernelProfile.Linux612.Supports(f)))
        {
            Assert.True(text.Contains(feature.Name, StringComparison.Ordinal), $"docs/kernel-profiles.md does not describe {feature.Name}");
        }
    }

    [Theory]
    [InlineData("newest", "newest")]
    [InlineData("linux-6.12", "linux-6.12")]
    [InlineData("6.12", "linux-6.12")]
    [InlineData("LINUX-6.12", "linux-6.12")]
    public void Profiles_are_found_by_name_or_release(string name, string expected)
        => Assert.Equal(expected, KernelProfile.Find(name)!.Name);

    [Fact]
    public void An_unknown_profile_name_finds_nothing() => Assert.Null(KernelProfile.Find("linux-5.10"));

    [Fact]
    public void Variants_add_and_remove_single_features()
    {
        var without = KernelProfile.Newest.Without(KernelFeatures.ViommuAlloc);
        var with = KernelProfile.Linux612.With(KernelFeatures.ViommuAlloc);

        Assert.False(without.Supports(KernelFeatures.ViommuAlloc));
        Assert.True(without.Supports(KernelFeatures.VdeviceAlloc));
        Assert.True(with.Supports(KernelFeatures.ViommuAlloc));
        Assert.False(with.Supports(KernelFeatures.VdeviceAlloc));
        Assert.False(with.Without(KernelFeatures.ViommuAlloc).Supports(KernelFeatures.ViommuAlloc));
        Assert.Equal("newest-without-IOMMU_VIOMMU_ALLOC", without.Name);
    }

    [Fact]
    public void Accepted_flags_drop_the_bits_of_features_the_kernel_lacks()
    {
        const ulong all = (ulong)(IommuHwptAllocFlags.NestParent | IommuHwptAllocFlags.DirtyTracking | IommuHwptAllocFlags.FaultIdValid | IommuHwptAllocFlags.Pasid);

        Assert.Equal(all, KernelProfile.Newest.AcceptedFlags(KernelFlagSets.HwptAllocPaging, all));
        Assert.Equal((ulong)(IommuHwptAllocFlags.NestParent | IommuHwptAllocFlags.DirtyTracking), KernelProfile.Linux612.AcceptedFlags(KernelFlagSets.HwptAllocPaging, all));
        Assert.Equal((ulong)IommuHwptAllocFlags.FaultIdValid, KernelProfile.Linux612.AcceptedFlags(KernelFlagSets.HwptAllocNested, (ulong)(IommuHwptAllocFlags.FaultIdValid | IommuHwptAllocFlags.Pasid)));
    }

    [Fact]
    public void Releases_order_as_the_kernel_numbers_them()
    {
        Assert.True(new KernelVersion(6, 9) < new KernelVersion(6, 12));
        Assert.True(new KernelVersion(6, 12) < new KernelVersion(7, 0));
        Assert.True(KernelVersion.Linux612 < KernelVersion.Newest);
        Assert.Equal("6.12", KernelVersion.Linux612.ToString());
        Assert.Equal("newest", KernelVersion.Newest.ToString());
    }
}
