using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Processes;

/// <summary>
/// copy_to_user stops at the first byte it cannot write and leaves the bytes before it written: a kernel answer
/// that runs past the end of a mapping is EFAULT with the mapped part filled in, not EFAULT with nothing written.
/// The long differential replay against the 6.12 kernel found the difference on IOMMU_TEST_OP_ACCESS_RW (sequence
/// 1244): the selftest reads through the access into a kernel buffer, then copies it out in one copy_to_user.
/// </summary>
public class CopyToUserTests
{
    private const ulong Page = SimulatedProcess.PageSize;

    [Fact]
    public void A_write_that_runs_past_a_mapping_fills_the_mapped_part_and_is_EFAULT()
    {
        var process = new SimulatedProcess(new SimulatedKernel());
        var buffer = process.Mmap(2 * Page);
        Assert.Equal(Errno.None, process.Munmap(buffer + Page, Page));
        var data = Enumerable.Range(0, 0x200).Select(i => (byte)(i + 1)).ToArray();

        Assert.Equal(Errno.EFAULT, process.Write(buffer + Page - 0x100, data));

        var written = new byte[0x100];
        Assert.Equal(Errno.None, process.Read(buffer + Page - 0x100, written));
        Assert.Equal(data.AsSpan(0, 0x100).ToArray(), written);
    }

    [Fact]
    public void A_write_to_read_only_memory_or_one_that_wraps_writes_nothing()
    {
        var process = new SimulatedProcess(new SimulatedKernel());
        var readOnly = process.Mmap(Page, MemoryProtection.Read);

        Assert.Equal(Errno.EFAULT, process.Write(readOnly, new byte[] { 1, 2, 3 }));
        Assert.Equal(Errno.EFAULT, process.Write(ulong.MaxValue - 1, new byte[] { 1, 2, 3 }));
        var read = new byte[3];
        Assert.Equal(Errno.None, process.Read(readOnly, read));
        Assert.Equal(new byte[3], read);
    }

    [Fact]
    public void An_access_read_into_a_buffer_that_ends_early_copies_out_what_fits()
    {
        using var fixture = new IommufdFixture();
        const ulong iova = 0x100_0000;
        var ioas = fixture.AllocIoas();
        var pattern = Enumerable.Range(0, (int)(2 * Page)).Select(i => (byte)(i * 7)).ToArray();
        fixture.WriteUser(fixture.Buffer, pattern);
        Assert.Equal(Errno.None, fixture.MapFixed(ioas, fixture.Buffer, 2 * Page, iova));
        Assert.Equal(Errno.None, fixture.CreateAccess(ioas, MockAccessCreateFlags.None, out var access));
        var user = fixture.Process.Mmap(2 * Page);
        Assert.Equal(Errno.None, fixture.Process.Munmap(user + Page, Page));

        Assert.Equal(Errno.EFAULT, fixture.AccessRw(access, iova, 0x1388, user, MockAccessRwFlags.None));

        Assert.Equal(pattern.AsSpan(0, (int)Page).ToArray(), fixture.ReadUser(user, (int)Page));
        Assert.Equal(Errno.None, fixture.DestroyAccess(access));
    }
}
