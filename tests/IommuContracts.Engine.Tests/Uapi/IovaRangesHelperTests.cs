using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Uapi;

/// <summary>
/// The IOMMU_IOAS_IOVA_RANGES helpers on the engine: the ranges come back as <see cref="IommuIovaRange"/>
/// values, the same the raw stub leaves in process memory, with the count probed first and asked again when
/// the ranges change between the two calls.
/// </summary>
public sealed class IovaRangesHelperTests : IommufdFixture
{
    [Fact]
    public void A_fresh_ioas_has_the_whole_address_space()
    {
        var ioas = AllocIoas();

        Assert.Equal(Errno.None, File.IoasIovaRanges(ioas, out IommuIovaRange[] ranges, out var alignment));

        Assert.Equal([new IommuIovaRange(0, ulong.MaxValue)], ranges);
        Assert.Equal(RawRanges(ioas, out var rawAlignment), ranges);
        Assert.Equal(rawAlignment, alignment);
    }

    [Fact]
    public void Reserved_regions_split_the_usable_ranges_in_order()
    {
        // IOVA_RANGES reports the holes between reserved ranges (allowed ranges only restrict later maps).
        var ioas = AllocIoas();
        Assert.Equal(Errno.None, AddReserved(ioas, 0x18000, 0x1000));
        Assert.Equal(Errno.None, AddReserved(ioas, 0x4_0000_0000, 0x10_0000));

        Assert.Equal(Errno.None, File.IoasIovaRanges(ioas, out IommuIovaRange[] ranges, out _));

        Assert.Equal(
            [new IommuIovaRange(0, 0x17FFF), new IommuIovaRange(0x19000, 0x3_FFFF_FFFF), new IommuIovaRange(0x4_0010_0000, ulong.MaxValue)],
            ranges);
        Assert.Equal(RawRanges(ioas, out _), ranges);
    }

    [Fact]
    public void Allowed_iovas_do_not_change_the_reported_ranges()
    {
        var ioas = AllocIoas();
        Assert.Equal(Errno.None, AllowIovas(ioas, new IommuIovaRange(0x10000, 0x1FFFF), new IommuIovaRange(0x40000, 0x4FFFF)));

        Assert.Equal(Errno.None, File.IoasIovaRanges(ioas, out IommuIovaRange[] ranges, out _));

        Assert.Equal([new IommuIovaRange(0, ulong.MaxValue)], ranges);
    }

    [Fact]
    public void The_alignment_is_the_attached_domains()
    {
        var ioas = AllocIoas();
        Assert.Equal(Errno.None, MockDomain(ioas, out _, out _, out _));

        Assert.Equal(Errno.None, File.IoasIovaRanges(ioas, out IommuIovaRange[] ranges, out var alignment));

        RawRanges(ioas, out var rawAlignment);
        Assert.Equal(rawAlignment, alignment);
        Assert.True(alignment > 1, $"alignment {alignment}");
        Assert.NotEmpty(ranges);
    }

    [Fact]
    public void A_span_of_the_right_size_is_filled_and_a_smaller_one_is_EMSGSIZE_with_the_count()
    {
        var ioas = AllocIoas();
        Assert.Equal(Errno.None, AddReserved(ioas, 0x10000, 0x10000));
        Assert.Equal(Errno.None, AddReserved(ioas, 0x40000, 0x10000));

        var exact = new IommuIovaRange[3];
        Assert.Equal(Errno.None, File.IoasIovaRanges(ioas, exact, out var count, out _));
        Assert.Equal(3, count);
        Assert.Equal(new IommuIovaRange(0x50000, ulong.MaxValue), exact[2]);

        var small = new IommuIovaRange[2];
        Assert.Equal(Errno.EMSGSIZE, File.IoasIovaRanges(ioas, small, out count, out _));
        Assert.Equal(3, count);
        Assert.Equal([new IommuIovaRange(0, 0xFFFF), new IommuIovaRange(0x20000, 0x3FFFF)], small);

        Assert.Equal(Errno.EMSGSIZE, File.IoasIovaRanges(ioas, Span<IommuIovaRange>.Empty, out count, out _));
        Assert.Equal(3, count);

        // A larger span keeps its tail untouched.
        var large = new IommuIovaRange[5];
        large[4] = new IommuIovaRange(7, 7);
        Assert.Equal(Errno.None, File.IoasIovaRanges(ioas, large, out count, out _));
        Assert.Equal(3, count);
        Assert.Equal(new IommuIovaRange(7, 7), large[4]);
    }

    [Fact]
    public void An_unknown_ioas_is_ENOENT_with_nothing_returned()
    {
        Assert.Equal(Errno.ENOENT, File.IoasIovaRanges(new IoasId(99), out IommuIovaRange[] ranges, out var alignment));
        Assert.Empty(ranges);
        Assert.Equal(0UL, alignment);

        var span = new IommuIovaRange[4];
        Assert.Equal(Errno.ENOENT, File.IoasIovaRanges(new IoasId(99), span, out var count, out alignment));
        Assert.Equal(0, count);
        Assert.Equal(0UL, alignment);
    }

    [Fact]
    public void Ranges_that_grow_between_the_probe_and_the_read_are_asked_for_again()
    {
        var ioas = AllocIoas();
        var file = new InterceptingFile(Process.File(Fd));
        file.AfterIovaRanges = call =>
        {
            // An attach between the two calls reserves the MSI window: one range becomes two.
            if (call == 1)
            {
                Assert.Equal(Errno.None, AddReserved(ioas, 0x800_0000, 0x10_0000));
            }
        };

        Assert.Equal(Errno.None, file.IoasIovaRanges(ioas, out IommuIovaRange[] ranges, out _));

        Assert.Equal(3, file.IovaRangesCalls);
        Assert.Equal([new IommuIovaRange(0, 0x7FF_FFFF), new IommuIovaRange(0x810_0000, ulong.MaxValue)], ranges);
    }

    [Fact]
    public void Ranges_that_shrink_between_the_probe_and_the_read_come_back_trimmed()
    {
        // A device with an MSI window attached to the IOAS, detached between the two calls: its reserved
        // region (and its IOMMU's aperture limit) leave the IOAS, so the second call finds fewer ranges.
        var host = new KapiHost();
        var ioas = host.AllocIoas();
        var idev = host.Bind(host.AddDevice(reserved: new IommuContracts.Engine.Iommu.ReservedRegion(0x800_0000, 0x10_0000, IommuContracts.Engine.Iommu.ReservedRegionKind.SoftwareMsi)));
        host.Attach(idev, ioas);
        var attachedCount = host.IovaRanges(ioas).Count;
        var file = new InterceptingFile(host.File);
        file.AfterIovaRanges = call =>
        {
            if (call == 1)
            {
                IommuContracts.Engine.Kapi.Iommufd.DeviceDetach(idev);
            }
        };

        Assert.Equal(Errno.None, file.IoasIovaRanges(ioas, out IommuIovaRange[] ranges, out _));

        Assert.Equal(2, file.IovaRangesCalls);
        Assert.True(ranges.Length < attachedCount, $"{ranges.Length} ranges after detach, {attachedCount} while attached");
        Assert.Equal(host.IovaRanges(ioas).Select(r => new IommuIovaRange(r.Start, r.Last)), ranges);
        IommuContracts.Engine.Kapi.Iommufd.DeviceUnbind(idev);
    }

    [Fact]
    public void Ranges_that_keep_growing_give_up_with_EMSGSIZE_after_a_bounded_number_of_calls()
    {
        var ioas = AllocIoas();
        var file = new InterceptingFile(Process.File(Fd));
        file.AfterIovaRanges = call => Assert.Equal(Errno.None, AddReserved(ioas, 0x1000_0000UL * (ulong)call, 0x1000));

        Assert.Equal(Errno.EMSGSIZE, file.IoasIovaRanges(ioas, out IommuIovaRange[] ranges, out var alignment));

        Assert.Equal(IoctlStubs.MaxProbeAttempts, file.IovaRangesCalls);
        Assert.Empty(ranges);
        Assert.Equal(0UL, alignment);
    }

    private Errno AllowIovas(IoasId ioas, params IommuIovaRange[] ranges)
    {
        var va = Process.Mmap(PageSize);
        WriteUser(va, System.Runtime.InteropServices.MemoryMarshal.AsBytes(ranges.AsSpan()).ToArray());
        return File.IoasAllowIovas(ioas, (uint)ranges.Length, va);
    }

    // The raw stub and a read of process memory: the oracle the helper must agree with.
    private IommuIovaRange[] RawRanges(IoasId ioas, out ulong alignment)
    {
        var va = Process.Mmap(PageSize);
        var count = (uint)(PageSize / 16);
        Assert.Equal(Errno.None, File.IoasIovaRanges(ioas, va, ref count, out alignment));
        var bytes = ReadUser(va, (int)count * 16);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, IommuIovaRange>(bytes).ToArray();
    }
}
