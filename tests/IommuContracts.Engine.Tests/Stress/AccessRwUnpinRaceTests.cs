using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Stress;

/// <summary>
/// Issue 11, found by a 300 s run of fuzz/stress once the other races were fixed: an access read/write in one
/// IOAS against an unmap in another IOAS that shares the same pages (IOAS_COPY). The access copied through the
/// pinned page, but only after it had checked that the page was pinned; in between the other IOAS's unmap
/// (which holds its own IOAS lock, not this one) unpinned it, and ACCESS_RW threw InvalidOperationException.
/// In the kernel iopt_pages_rw_access copies under pages->mutex, which the unpin also takes, so the unpin
/// waits for the copy. The race is played in a fixed order: the copy stops once it found the page pinned, the
/// unmap starts on another thread, and the copy goes on once the unmap finished or is waiting.
/// </summary>
public class AccessRwUnpinRaceTests
{
    private const ulong Page = SimulatedProcess.PageSize;
    // Inside the mock domain's aperture (MOCK_APERTURE_START 1 << 24 .. MOCK_APERTURE_LAST (1 << 31) - 1).
    private const ulong CopyIova = 0x4000_0000;

    [Theory]
    [InlineData(MockAccessRwFlags.None)]
    [InlineData(MockAccessRwFlags.Write)]
    public void An_access_copy_through_a_pinned_page_completes_before_another_IOAS_unpins_it(MockAccessRwFlags direction)
    {
        using var fixture = new IommufdFixture();
        var pattern = Enumerable.Range(0, 64).Select(i => (byte)(0x40 + i)).ToArray();
        fixture.WriteUser(fixture.Buffer, new byte[4 * Page]);
        var user = fixture.Process.Mmap(Page);
        fixture.WriteUser(direction == MockAccessRwFlags.Write ? user : fixture.Buffer, pattern);

        // IOAS A maps the buffer; IOAS B shares its pages through IOAS_COPY and pins them with a mock domain.
        var ioasA = fixture.AllocIoas();
        var ioasB = fixture.AllocIoas();
        Assert.Equal(Errno.None, fixture.Map(ioasA, fixture.Buffer, 4 * Page, out var iovaA));
        var copyIova = CopyIova;
        Assert.Equal(Errno.None, fixture.File.IoasCopy(
            IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, ioasB, ioasA, 4 * Page, iovaA, ref copyIova));
        Assert.Equal(Errno.None, fixture.MockDomain(ioasB, out var stdev, out _, out _));
        Assert.Equal(Errno.None, fixture.CreateAccess(ioasA, MockAccessCreateFlags.None, out var access));

        BackgroundCall? unmap = null;
        var unmapDoneDuringCopy = false;
        ulong unmapped = 0;
        fixture.Process.Kernel.Interleavings.Arm(InterleavingPoint.AccessRwPinnedPage, () =>
        {
            unmap = BackgroundCall.StartAndAwaitFinishedOrBlocked(() => fixture.Unmap(ioasB, CopyIova, 4 * Page, out unmapped));
            unmapDoneDuringCopy = unmap.IsFinished;
        });

        var copied = fixture.AccessRw(access, iovaA, (ulong)pattern.Length, user, direction);

        Assert.NotNull(unmap);
        Assert.Equal(Errno.None, unmap!.Join("the unmap of IOAS B"));
        Assert.False(unmapDoneDuringCopy, "IOAS B's unmap unpinned a page an access of IOAS A was copying through");
        Assert.Equal(Errno.None, copied);
        Assert.Equal(pattern, fixture.ReadUser(direction == MockAccessRwFlags.Write ? fixture.Buffer : user, pattern.Length));
        Assert.Equal(4 * Page, unmapped);

        // IOAS B held the only pins; IOAS A has no domain, so nothing stays pinned.
        Assert.Equal(Errno.None, fixture.CheckRefs(fixture.Buffer, 4 * Page, 0));
        Assert.Empty(fixture.Process.Kernel.Log.Warnings);
        Assert.Equal(Errno.None, fixture.DestroyAccess(access));
        Assert.Equal(Errno.None, fixture.File.Destroy(stdev));
    }
}
