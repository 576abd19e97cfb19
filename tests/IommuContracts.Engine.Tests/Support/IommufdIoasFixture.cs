using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// The kernel selftests' <c>iommufd_ioas</c> fixture, <c>no_domain</c> variant: one IOAS with no mock
/// domain attached (so <see cref="BaseIova"/> is 0) and the default temporary memory limit. Teardown resets
/// the limit, then runs the base teardown (close, reopen, MD_CHECK_REFS == 0 on the buffer, no WARN).
/// </summary>
public class IommufdIoasFixture : IommufdFixture
{
    /// <summary>MOCK_PAGE_SIZE = PAGE_SIZE / 2.</summary>
    public const ulong MockPageSize = PageSize / 2;

    /// <summary>test_ioctl_set_default_memory_limit.</summary>
    public const uint DefaultTempMemoryLimit = 65536;

    public IommufdIoasFixture()
    {
        Ioas = AllocIoas();
        Assert.Equal(Errno.None, SetTempMemoryLimit(DefaultTempMemoryLimit));
    }

    /// <summary>self->ioas_id.</summary>
    public IoasId Ioas { get; }

    /// <summary>self->base_iova: 0 without a mock domain.</summary>
    public ulong BaseIova { get; protected set; }

    /// <summary>IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT.</summary>
    public Errno SetTempMemoryLimit(uint limit)
    {
        var payload = new IommuTestPayload { MemoryLimit = new TestMemoryLimit { Limit = limit } };
        return File.TestCmd(IommuTestOp.SetTempMemoryLimit, ObjectId.None, ref payload);
    }

    /// <summary>test_ioctl_ioas_map_fixed on the fixture's IOAS.</summary>
    public Errno MapFixed(ulong userVa, ulong length, ulong iova) => MapFixed(Ioas, userVa, length, iova);

    /// <summary>test_ioctl_ioas_map on the fixture's IOAS.</summary>
    public Errno Map(ulong userVa, ulong length, out ulong iova) => Map(Ioas, userVa, length, out iova);

    /// <summary>test_ioctl_ioas_unmap on the fixture's IOAS.</summary>
    public Errno Unmap(ulong iova, ulong length) => Unmap(Ioas, iova, length, out _);

    /// <summary>IOMMU_OPTION_HUGE_PAGES on the fixture's IOAS.</summary>
    public Errno HugePages(IommuOptionOp op, ref ulong value)
        => File.Option(IommuOptionId.HugePages, op, Ioas, ref value);

    public override void Dispose()
    {
        Assert.Equal(Errno.None, SetTempMemoryLimit(DefaultTempMemoryLimit));
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
