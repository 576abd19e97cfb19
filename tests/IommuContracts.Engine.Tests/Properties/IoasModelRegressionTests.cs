using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Properties;

/// <summary>
/// The minimal reproductions the model-based properties found, pinned as examples with the kernel's
/// answer (io_pagetable.c iopt_alloc_iova, lib/interval_tree.c span iterator, pages.c
/// iopt_alloc_user_pages), plus selftest scenarios that anchor the reference model itself.
/// </summary>
public class IoasModelRegressionTests : IommufdFixture
{
    private const IommuIoasMapFlags ReadWrite = IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable;

    /// <summary>A 2 MiB aligned source address for the harness (nothing is pinned without a domain).</summary>
    private const ulong UserVa = IoasOpGenerators.UserBase;

    /// <summary>
    /// iopt_alloc_iova moves the allowed span's start to its aligned candidate (ALIGN | page offset) and
    /// walks the holes of reserved ∪ areas from there. The candidate of the first hole is therefore that
    /// value itself: 0x1000 | 0x4F1 = 0x14F1, which is free. Walking from the unaligned start instead finds
    /// the hole at 0x1008 and yields 0x1008 | 0x4F1 = 0x14F9.
    /// </summary>
    [Fact]
    public void Auto_iova_walks_holes_from_the_aligned_candidate_of_the_allowed_span()
    {
        var ioas = AllocIoas();
        Assert.Equal(Errno.None, Map(ioas, Buffer + 0x5000, 8, out var first));
        Assert.Equal("0x1000", $"0x{first:X}");

        // Alignment min(roundup_pow_of_two(0x3C4), lowest set bit 1) = 1; page offset 0x4F1.
        Assert.Equal(Errno.None, Map(ioas, Buffer + 0x4F1, 0x3C4, out var second));
        Assert.Equal("0x14F1", $"0x{second:X}");
    }

    /// <summary>The same with a larger page offset: 0x1000 | 0xAAE = 0x1AAE is free above the area at 0x15A1.</summary>
    [Fact]
    public void Auto_iova_keeps_the_first_candidate_when_an_area_sits_below_it()
    {
        var ioas = AllocIoas();
        Assert.Equal(Errno.None, Map(ioas, Buffer + 0x5A1, 0xF, out var first));
        Assert.Equal("0x15A1", $"0x{first:X}");
        Assert.Equal(Errno.None, Map(ioas, Buffer + 0xAAE, 4, out var second));
        Assert.Equal("0x1AAE", $"0x{second:X}");
    }

    /// <summary>
    /// interval_tree_span_iter merges touching nodes, so allowed ranges [0x10000, 0x17FFF] and
    /// [0x18000, 0x1FFFF] are one span: a 64 KiB automatic map fits at 0x10000. Searching each allowed
    /// range on its own finds no room (ENOSPC).
    /// </summary>
    [Fact]
    public void Auto_iova_treats_adjacent_allowed_ranges_as_one_span()
    {
        var ioas = AllocIoas();
        Assert.Equal(Errno.None, AllowIovas(ioas, (0x10000, 0x17FFF), (0x18000, 0x1FFFF)));
        Assert.Equal(Errno.None, Map(ioas, Buffer, 0x10000, out var iova));
        Assert.Equal("0x10000", $"0x{iova:X}");
    }

    /// <summary>
    /// iopt_alloc_user_pages checks user_va + length for overflow before iopt_alloc_pages checks the
    /// length: a length above SIZE_MAX - PAGE_SIZE whose end wraps is EOVERFLOW, not EINVAL.
    /// </summary>
    [Fact]
    public void Map_checks_user_va_overflow_before_the_length_limit()
    {
        var ioas = AllocIoas();
        Assert.Equal(Errno.EOVERFLOW, Map(ioas, Buffer + 0x10B6, ulong.MaxValue - 1, out _));
        Assert.Equal(Errno.EOVERFLOW, MapFixed(ioas, Buffer, ulong.MaxValue - 1, 0x1000));

        // Without a wrap the length limit answers.
        Assert.Equal(Errno.EINVAL, Map(ioas, 0, ulong.MaxValue - 1, out _));
    }

    /// <summary>check_add_overflow(uptr, length): a source ending exactly at 2^64 wraps to 0 and is EOVERFLOW.</summary>
    [Fact]
    public void Map_of_the_last_bytes_of_the_address_space_is_an_overflow()
    {
        var ioas = AllocIoas();
        Assert.Equal(Errno.EOVERFLOW, Map(ioas, 0xFFFF_FFFF_FFFF_E000, 0x2000, out _));
        Assert.Equal(Errno.EOVERFLOW, Map(ioas, ulong.MaxValue - 1, 2, out _));
        Assert.Equal(Errno.EOVERFLOW, MapFixed(ioas, 0xFFFF_FFFF_FFFF_F000, 0x1000, 0x1000));
        Assert.Empty(EngineProbe.FindIoas(EngineProbe.Context(Process, Fd)!, ioas.Value)!.Iopt.Areas());

        // One byte less is fine.
        Assert.Equal(Errno.None, MapFixed(ioas, 0xFFFF_FFFF_FFFF_E000, 0x1FFF, 0x1000));
    }

    // ---- selftest scenarios (spec §5.3, §8) run through the harness: engine and model must both agree with them

    /// <summary>unmap_fully_contained_areas: a range straddling an area is ENOENT; a range holding all four unmaps 32 pages.</summary>
    [Fact]
    public void Selftest_unmap_fully_contained_areas()
    {
        using var harness = new IoasPropertyHarness();
        const ulong P = IoasReferenceModel.PageSize;
        const ulong Base = 4 * P;
        for (ulong i = 0; i < 4; i++)
        {
            Assert.Equal(Errno.None, harness.Map(ReadWrite | IommuIoasMapFlags.FixedIova, 0, UserVa, 8 * P, Base + (i * 16 * P)).Result);
        }

        Assert.Equal(Errno.ENOENT, harness.Unmap(0, Base - (4 * P), 8 * P).Result);
        Assert.Equal(Errno.ENOENT, harness.Unmap(0, Base + (3 * 16 * P) + (8 * P) - (4 * P), 8 * P).Result);
        harness.CheckState();
        Assert.Equal((Errno.None, 32 * P), harness.Unmap(0, Base - (4 * P), (3 * 16 * P) + (8 * P) + (4 * P)));
        harness.CheckState();
        harness.Close();
    }

    /// <summary>Non-atomic UNMAP: the contained area before a straddling one is gone although the call fails.</summary>
    [Fact]
    public void Unmap_is_not_atomic_when_a_later_area_straddles_the_end()
    {
        using var harness = new IoasPropertyHarness();
        harness.Map(ReadWrite | IommuIoasMapFlags.FixedIova, 0, UserVa, 0x2000, 0x10000);
        harness.Map(ReadWrite | IommuIoasMapFlags.FixedIova, 0, UserVa, 0x2000, 0x12000);
        Assert.Equal(Errno.ENOENT, harness.Unmap(0, 0x10000, 0x3000).Result);
        harness.CheckState();
        Assert.Equal(0x12000UL, Assert.Single(harness.World.Model(0)!.Areas).Iova);
        harness.Close();
    }

    /// <summary>reserved_overflow (syzbot): a reservation up to 0xFFFF_FFFF_FFFF_8006 leaves no aligned room; ENOSPC without wrapping.</summary>
    [Fact]
    public void Selftest_reserved_overflow()
    {
        using var harness = new IoasPropertyHarness();
        harness.AddReserved(0, 6, 0xFFFF_FFFF_FFFF_8001);
        Assert.Equal(Errno.ENOSPC, harness.Map(ReadWrite, 0, UserVa, 0x5000, 0).Result);
        harness.CheckState();
        harness.Close();
    }

    /// <summary>area_auto_iova: automatic maps of (i + 1) pages from a 2 MiB aligned buffer come back aligned to roundup_pow_of_two(length).</summary>
    [Fact]
    public void Selftest_auto_iova_alignment_follows_the_length()
    {
        using var harness = new IoasPropertyHarness();
        const ulong P = IoasReferenceModel.PageSize;
        for (ulong pages = 1; pages <= 10; pages++)
        {
            Assert.Equal(Errno.None, harness.Map(ReadWrite, 0, UserVa, pages * P, 0).Result);
            harness.CheckState();
        }

        foreach (var area in harness.World.Model(0)!.Areas)
        {
            Assert.Equal(0UL, area.Iova % IoasReferenceModel.RoundUpPowerOfTwo(area.Length));
        }

        harness.Close();
    }

    private Errno AllowIovas(IoasId ioas, params (ulong Start, ulong Last)[] ranges)
    {
        var address = Process.Mmap(PageSize);
        var bytes = new byte[ranges.Length * 16];
        for (var i = 0; i < ranges.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(i * 16), ranges[i].Start);
            BitConverter.TryWriteBytes(bytes.AsSpan((i * 16) + 8), ranges[i].Last);
        }

        Assert.Equal(Errno.None, Process.Write(address, bytes));
        return File.IoasAllowIovas(ioas, (uint)ranges.Length, address);
    }
}
