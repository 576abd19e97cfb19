using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;
using Xunit.Abstractions;

namespace IommuContracts.Engine.Tests.Bounds;

/// <summary>
/// Issue 11, E2, E3 and E5: lengths that user space states are checked and walked, never allocated up front.
/// VFIO_DEVICE_SIM_DMA moves data in bounded bursts; the mock driver's DIRTY op refuses a bitmap kvzalloc could
/// not allocate (ENOMEM) and reads only the bitmap bytes of mapped IOVA; HWPT_GET_DIRTY_BITMAP writes bits to
/// user memory as it walks the dirty PTEs instead of keeping one entry per bit.
/// </summary>
public class DmaAndBitmapCostTests
{
    private const ulong Page = SimulatedProcess.PageSize;
    private const ulong Iova = 0x4000_0000;

    private readonly ITestOutputHelper _output;

    public DmaAndBitmapCostTests(ITestOutputHelper output) => _output = output;

    /// <summary>A bound VFIO device attached to an IOAS with <paramref name="mappedPages"/> pages of a buffer at <see cref="Iova"/>.</summary>
    private static (VfioRig Rig, ulong Mapped) AttachedRig(ulong mappedPages)
    {
        var rig = new VfioRig();
        var ioas = rig.Host.AllocIoas();
        var mapped = rig.Host.Buffer(mappedPages * Page);
        Assert.Equal(Errno.None, rig.Host.Map(ioas, mapped, mappedPages * Page, Iova));
        Assert.Equal(Errno.None, rig.Attach(ioas));
        return (rig, mapped);
    }

    // ---- E2: VFIO_DEVICE_SIM_DMA ----

    [Theory]
    [InlineData(0x7FFF_FFC8UL, VfioDeviceSimDmaFlags.Read)]
    [InlineData(0x7FFF_FFFFUL, VfioDeviceSimDmaFlags.Write)]
    [InlineData(1UL << 30, VfioDeviceSimDmaFlags.Read)]
    [InlineData(1UL << 30, VfioDeviceSimDmaFlags.Write)]
    public void Sim_dma_of_a_huge_length_faults_at_the_first_unmapped_IOVA_without_allocating_the_length(ulong length, VfioDeviceSimDmaFlags direction)
    {
        var (rig, _) = AttachedRig(mappedPages: 2);
        var user = rig.Host.Process.Mmap(length);

        var result = Errno.None;
        var cost = CallCost.Of(() => result = rig.Vfio.VfioDeviceSimDma(direction, Iova, user, length));

        Assert.Equal(Errno.EIO, result);
        _output.WriteLine($"cost: {cost}");
        cost.AssertWithin(pagesTouched: 32, $"SIM_DMA of 0x{length:X} bytes");
        rig.Host.AssertNoWarnings();
    }

    [Fact]
    public void Sim_dma_over_several_bursts_moves_every_byte_in_order()
    {
        const ulong pages = 40;
        var (rig, mapped) = AttachedRig(pages);
        var length = (pages * Page) - 5;
        var pattern = new byte[length];
        new Random(11).NextBytes(pattern);
        var source = rig.Host.Process.Mmap(length);
        Assert.Equal(Errno.None, rig.Host.Process.Write(source, pattern));

        Assert.Equal(Errno.None, rig.Vfio.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Write, Iova + 3, source, length - 3));
        Assert.Equal(pattern.AsSpan(0, (int)length - 3).ToArray(), rig.Host.ReadMemory(mapped + 3, (int)length - 3));

        var back = rig.Host.Process.Mmap(length);
        Assert.Equal(Errno.None, rig.Vfio.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Read, Iova + 3, back, length - 3));
        Assert.Equal(pattern.AsSpan(0, (int)length - 3).ToArray(), rig.Host.ReadMemory(back, (int)length - 3));
    }

    [Fact]
    public void Sim_dma_longer_than_int_max_is_still_EINVAL()
    {
        var (rig, mapped) = AttachedRig(mappedPages: 1);
        Assert.Equal(Errno.EINVAL, rig.Vfio.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Read, Iova, mapped, 1UL << 31));
    }

    // ---- E3: IOMMU_TEST_OP_DIRTY ----

    [Theory]
    [InlineData(1UL << 34)]
    [InlineData(ulong.MaxValue)]
    public void Mock_dirty_with_a_bitmap_kvzalloc_cannot_allocate_is_ENOMEM(ulong length)
    {
        using var fixture = new DirtyRig();
        var result = Errno.None;
        var cost = CallCost.Of(() => result = fixture.MockDomainSetDirty(fixture.Hwpt, length, 0, 1, fixture.Bitmap, out _));

        Assert.Equal(Errno.ENOMEM, result);
        _output.WriteLine($"cost: {cost}");
        cost.AssertWithin(pagesTouched: 1, $"DIRTY over 0x{length:X} units");
    }

    [Fact]
    public void Mock_dirty_with_an_unreadable_bitmap_is_EFAULT_before_anything_is_marked()
    {
        using var fixture = new DirtyRig();
        var result = Errno.None;

        // 2^33 units need a 1 GiB bitmap; only one page of it is mapped.
        var cost = CallCost.Of(() => result = fixture.MockDomainSetDirty(fixture.Hwpt, 1UL << 33, Iova, 1, fixture.Bitmap, out _));

        Assert.Equal(Errno.EFAULT, result);
        _output.WriteLine($"cost: {cost}");
        cost.AssertWithin(pagesTouched: 1, "DIRTY over 2^33 units");
        Assert.Equal(0, fixture.DirtyBits(Iova, fixture.MappedLength));
    }

    [Fact]
    public void Mock_dirty_reads_only_the_bitmap_of_mapped_IOVA_and_counts_the_bits_set_there()
    {
        using var fixture = new DirtyRig();

        // A 1 GiB bitmap (2^33 one-byte units from IOVA 0) of untouched memory, with bits set for three bytes
        // of the mapped buffer and for one unmapped byte far above it.
        var bitmap = fixture.Process.Mmap(1UL << 30);
        void SetBit(ulong unit)
        {
            var current = fixture.ReadUser(bitmap + (unit / 8), 1);
            current[0] |= (byte)(1 << (int)(unit % 8));
            fixture.WriteUser(bitmap + (unit / 8), current);
        }

        SetBit(Iova);
        SetBit(Iova + 1);
        SetBit(Iova + Page + 7);
        SetBit(1UL << 32);

        var result = Errno.None;
        ulong marked = 0;
        var cost = CallCost.Of(() => result = fixture.MockDomainSetDirty(fixture.Hwpt, 1UL << 33, 0, 1, bitmap, out marked));

        Assert.Equal(Errno.None, result);
        Assert.Equal(3UL, marked);
        _output.WriteLine($"cost: {cost}");
        cost.AssertWithin(pagesTouched: (long)(fixture.MappedLength / Page), "DIRTY over 2^33 units with a lazy bitmap");
    }

    // ---- E5: IOMMU_HWPT_GET_DIRTY_BITMAP ----

    [Fact]
    public void Get_dirty_bitmap_with_page_size_1_writes_the_bits_without_one_entry_per_bit()
    {
        using var fixture = new DirtyRig();

        // Every mock PTE of the 256 KiB mapping dirty (one bit per 2 KiB IO page).
        var units = fixture.MappedLength / DirtyRig.MockPage;
        fixture.WriteUser(fixture.Bitmap, Enumerable.Repeat((byte)0xFF, (int)(units / 8)).ToArray());
        Assert.Equal(Errno.None, fixture.MockDomainSetDirty(fixture.Hwpt, fixture.MappedLength, Iova, DirtyRig.MockPage, fixture.Bitmap, out var dirtied));
        Assert.Equal(units, dirtied);

        var bitmapBytes = (int)(fixture.MappedLength / 8);
        var user = fixture.Process.Mmap((ulong)bitmapBytes);
        var result = Errno.None;
        var cost = CallCost.Of(() => result = fixture.File.HwptGetDirtyBitmap(fixture.Hwpt, IommuHwptGetDirtyBitmapFlags.None, Iova, fixture.MappedLength, 1, user));

        Assert.Equal(Errno.None, result);
        _output.WriteLine($"cost: {cost}");
        cost.AssertWithin(pagesTouched: (bitmapBytes / (int)Page) + (long)(fixture.MappedLength / Page), "GET_DIRTY_BITMAP of 256 KiB at page size 1");
        Assert.All(fixture.ReadUser(user, bitmapBytes), b => Assert.Equal(0xFF, b));

        // The read cleared the dirty bits: a second read sets nothing.
        var again = fixture.Process.Mmap((ulong)bitmapBytes);
        Assert.Equal(Errno.None, fixture.File.HwptGetDirtyBitmap(fixture.Hwpt, IommuHwptGetDirtyBitmapFlags.None, Iova, fixture.MappedLength, 1, again));
        Assert.All(fixture.ReadUser(again, bitmapBytes), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Get_dirty_bitmap_ORs_into_an_unaligned_bitmap_and_keeps_bits_already_set()
    {
        using var fixture = new DirtyRig();

        // IO pages 1 and 3 dirty; read at page size 1024 (two bits per IO page) into a bitmap at an odd address.
        fixture.WriteUser(fixture.Bitmap, new byte[] { 0b0000_1010 });
        Assert.Equal(Errno.None, fixture.MockDomainSetDirty(fixture.Hwpt, 4 * DirtyRig.MockPage, Iova, DirtyRig.MockPage, fixture.Bitmap, out var dirtied));
        Assert.Equal(2UL, dirtied);

        var user = fixture.Process.Mmap(Page) + 3;
        fixture.WriteUser(user, new byte[] { 0b0000_0001, 0x80 });
        Assert.Equal(Errno.None, fixture.File.HwptGetDirtyBitmap(fixture.Hwpt, IommuHwptGetDirtyBitmapFlags.None, Iova, 8 * DirtyRig.MockPage, 1024, user));
        Assert.Equal(new byte[] { 0b1100_1101, 0x80 }, fixture.ReadUser(user, 2));
    }

    /// <summary>A mock HWPT with dirty tracking enabled on an IOAS with 64 pages mapped at <see cref="Iova"/> (no huge pages).</summary>
    private sealed class DirtyRig : IommufdFixture
    {
        public const ulong MockPage = PageSize / 2;

        public DirtyRig()
        {
            var ioas = AllocIoas();
            ulong hugePages = 0;
            Assert.Equal(Errno.None, File.Option(IommuOptionId.HugePages, IommuOptionOp.Set, ioas, ref hugePages));
            Assert.Equal(Errno.None, MockDomain(ioas, out _, out _, out var idev));
            Assert.Equal(Errno.None, HwptAlloc(idev, ioas, IommuHwptAllocFlags.DirtyTracking, out var hwpt));
            Assert.Equal(Errno.None, MockDomain(hwpt, out _, out _, out _));
            Hwpt = hwpt;
            Assert.Equal(Errno.None, File.HwptSetDirtyTracking(IommuHwptDirtyTrackingFlags.Enable, hwpt));
            Mapped = Process.Mmap(MappedLength);
            Assert.Equal(Errno.None, MapFixed(ioas, Mapped, MappedLength, Iova));
            Bitmap = Process.Mmap(Page);
        }

        public ulong MappedLength => 64 * PageSize;

        public ulong Mapped { get; }

        public HwptId Hwpt { get; }

        public ulong Bitmap { get; }

        /// <summary>Dirty IO pages in [iova, iova + length), read without clearing.</summary>
        public int DirtyBits(ulong iova, ulong length)
        {
            var bits = Process.Mmap(length / MockPage / 8 + 1);
            Assert.Equal(Errno.None, File.HwptGetDirtyBitmap(Hwpt, IommuHwptGetDirtyBitmapFlags.NoClear, iova, length, MockPage, bits));
            return ReadUser(bits, (int)(length / MockPage / 8)).Sum(b => System.Numerics.BitOperations.PopCount(b));
        }
    }
}
