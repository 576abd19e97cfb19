using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support.Hosts;

namespace IommuContracts.Engine.Tests.Profiles;

/// <summary>
/// iopt_alloc_iova caps an automatic IOVA's alignment at HPAGE_SIZE when CONFIG_TRANSPARENT_HUGEPAGE is set and at
/// PAGE_SIZE when it is not: the same map lands elsewhere on a kernel without THP (a tinyconfig guest).
/// </summary>
public class TransparentHugePagesTests
{
    [Theory]
    [InlineData(true, 0x20_0000UL)]
    [InlineData(false, 0x1000UL)]
    public void An_automatic_iova_is_aligned_to_at_most_the_huge_page_size_only_with_thp(bool transparentHugePages, ulong expected)
    {
        using var fixture = new Support.IommufdFixture(SimulatedProcessHost.Root(transparentHugePages: transparentHugePages));
        var ioas = fixture.AllocIoas();
        var memory = fixture.Host.Mmap(2UL << 20, MemoryProtection.ReadWrite, MmapFlags.None, 4UL << 20);

        Assert.Equal(Errno.None, fixture.Map(ioas, memory, 2UL << 20, out var iova));

        Assert.Equal(expected, iova);
    }
}
