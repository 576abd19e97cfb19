using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Profiles;

/// <summary>
/// Stable fixes that 6.12.118 carries and the newest kernel has too, so both profiles answer the same: the
/// argument checks come before the lookups, and lengths are bounded.
/// </summary>
public class KernelFixesTests
{
    // selftest.c:854-857 (6.12.118): the syzbot fix of Dec 2025, in mainline and backported to 6.12.
    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void Add_reserved_refuses_an_empty_or_wrapping_range_before_the_lookup(string profile)
    {
        using var fixture = new ProfiledFixture(profile, mockDevice: false);
        var missing = new IoasId(77);

        Assert.Equal(Errno.EINVAL, fixture.AddReserved(missing, 0x1000, 0));
        Assert.Equal(Errno.EOVERFLOW, fixture.AddReserved(missing, 0x1000, ulong.MaxValue));
        Assert.Equal(Errno.ENOENT, fixture.AddReserved(missing, 0x1000, 0x1000));
        Assert.Equal(Errno.EOVERFLOW, fixture.AddReserved(fixture.Ioas, ulong.MaxValue - 0xFFF, 0x2000));
        Assert.Equal(Errno.None, fixture.AddReserved(fixture.Ioas, ulong.MaxValue - 0xFFF, 0x1000));
    }

    // selftest.c:931-933 (6.12): MD_CHECK_REFS refuses a range that wraps.
    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void Check_refs_refuses_a_wrapping_range(string profile)
    {
        using var fixture = new ProfiledFixture(profile, mockDevice: false);

        Assert.Equal(Errno.EINVAL, fixture.CheckRefs(ulong.MaxValue - 0xFFF, 0x2000, 0));
    }

    // hw_pagetable.c:435-437 (6.12.118): entry_len above PAGE_SIZE or entry_num above 2^19 is EINVAL, and the
    // number of handled entries (0) is still reported.
    [Theory]
    [InlineData("newest", 4097u, 1u)]
    [InlineData("newest", 8u, (1u << 19) + 1)]
    [InlineData("linux-6.12", 4097u, 1u)]
    [InlineData("linux-6.12", 8u, (1u << 19) + 1)]
    public void Invalidate_bounds_the_entries(string profile, uint entryLength, uint entries)
    {
        using var fixture = new ProfiledFixture(profile);
        var array = fixture.Host.Mmap(IommufdFixture.PageSize);
        var count = entries;

        Assert.Equal(Errno.EINVAL, fixture.File.HwptInvalidate(fixture.AutoHwpt, array, IommuHwptInvalidateDataType.Selftest, entryLength, ref count));
        Assert.Equal(0u, count);
    }

    // hw_pagetable.c:116-123 (6.12) and selftest.c:340: the flag checks come before the driver sees any data.
    [Theory]
    [InlineData("newest")]
    [InlineData("linux-6.12")]
    public void Paging_hwpt_flags_are_checked_before_the_driver_data(string profile)
    {
        using var fixture = new ProfiledFixture(profile);

        // Unknown flag and an unreadable data pointer: EOPNOTSUPP, not EFAULT.
        Assert.Equal(Errno.EOPNOTSUPP, fixture.HwptAlloc(fixture.Device, fixture.Ioas, (IommuHwptAllocFlags)(1 << 7), IommuHwptDataType.Selftest, 8, 4, out _));
    }
}
