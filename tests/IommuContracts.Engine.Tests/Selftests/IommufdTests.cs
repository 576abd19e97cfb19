using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// Port of the kernel selftests' <c>iommufd</c> fixture (a bare /dev/iommu fd): generic command decoding,
/// size negotiation and the global options. Command numbers and struct sizes are the kernel's uapi values,
/// written out here rather than taken from the engine's own declarations.
/// </summary>
public class IommufdTests : IommufdFixture
{
    private const uint IommuDestroy = 0x3B80;
    private const uint IommuOption = 0x3B87;

    // iommu_option: size 0:4, option_id 4:4, op 8:2, __reserved 10:2, object_id 12:4, val64 16:8.
    private const int OptionSize = 24;

    /// <summary>
    /// Every command cmd_length covers: name, command number, sizeof(struct) and offsetofend of the last
    /// mandatory member, from the newest include/uapi/linux/iommufd.h.
    /// </summary>
    public static TheoryData<string, uint, int, int> LengthCheckedCommands => new()
    {
        { "IOMMU_DESTROY", 0x3B80, 8, 8 },
        { "IOMMU_GET_HW_INFO", 0x3B8A, 40, 32 },
        { "IOMMU_HWPT_ALLOC", 0x3B89, 48, 24 },
        { "IOMMU_HWPT_INVALIDATE", 0x3B8D, 32, 32 },
        { "IOMMU_IOAS_ALLOC", 0x3B81, 12, 12 },
        { "IOMMU_IOAS_IOVA_RANGES", 0x3B84, 32, 32 },
        { "IOMMU_IOAS_ALLOW_IOVAS", 0x3B82, 24, 24 },
        { "IOMMU_IOAS_MAP", 0x3B85, 40, 40 },
        { "IOMMU_IOAS_COPY", 0x3B83, 40, 40 },
        { "IOMMU_IOAS_UNMAP", 0x3B86, 24, 24 },
        { "IOMMU_OPTION", 0x3B87, 24, 24 },
        { "IOMMU_VFIO_IOAS", 0x3B88, 12, 12 },
        { "IOMMU_IOAS_MAP_FILE", 0x3B8F, 40, 40 },
        { "IOMMU_VIOMMU_ALLOC", 0x3B90, 40, 24 },
        { "IOMMU_VDEVICE_ALLOC", 0x3B91, 24, 24 },
        { "IOMMU_IOAS_CHANGE_PROCESS", 0x3B92, 8, 8 },
    };

    // TEST_F(iommufd, simple_close): open and close; teardown checks no page is left pinned.
    [Fact]
    public void Simple_close()
    {
        Assert.True(Fd >= 0);
    }

    // TEST_F(iommufd, cmd_fail)
    [Fact]
    public void Cmd_fail()
    {
        var cmd = new UserBuffer(Host, PageSize);
        cmd.U32(0, 8);
        cmd.U32(4, 0);

        // Object ID 0 is never valid.
        Assert.Equal(Errno.ENOENT, File.Destroy(ObjectId.None));

        // A NULL argument cannot be read.
        SyscallAssert.Fails(Errno.EFAULT, Ioctl(IommuDestroy, 0UL));

        // _IO(';', IOMMUFD_CMD_BASE - 1) is neither an iommufd nor a VFIO container command.
        SyscallAssert.Fails(Errno.ENOTTY, Ioctl(0x3B7F, cmd.Address));
    }

    // TEST_F(iommufd, cmd_length): one case per TEST_LENGTH line.
    [Theory]
    [MemberData(nameof(LengthCheckedCommands))]
    public void Cmd_length(string name, uint command, int structSize, int minimumSize)
    {
        // struct { struct X cmd; uint8_t extra; }, zero-initialised, extra = 0xFF.
        var cmd = new UserBuffer(Host, PageSize);
        var sizeOf = (uint)structSize;
        cmd.U8(sizeOf, byte.MaxValue);

        // One byte short of the last mandatory member.
        cmd.U32(0, (uint)minimumSize - 1);
        var shortResult = Ioctl(command, cmd.Address);
        Assert.True(shortResult == -(int)Errno.EINVAL, $"{name}: size {minimumSize - 1} returned {Describe(shortResult)}, the kernel answers EINVAL");

        // One byte past the struct, and that byte is not zero.
        cmd.U32(0, sizeOf + 1);
        var bigResult = Ioctl(command, cmd.Address);
        Assert.True(bigResult == -(int)Errno.E2BIG, $"{name}: size {sizeOf + 1} with a trailing 0xFF returned {Describe(bigResult)}, the kernel answers E2BIG");

        // Exactly sizeof: whatever the command makes of an all-zero struct.
        cmd.U32(0, sizeOf);
        var exact = Ioctl(command, cmd.Address);

        // One zero byte past the struct must be indistinguishable from exactly sizeof.
        cmd.U32(0, sizeOf + 1);
        cmd.U8(sizeOf, 0);
        var zeroTail = Ioctl(command, cmd.Address);
        if (exact < 0)
        {
            Assert.True(zeroTail == exact, $"{name}: a zero trailing byte returned {Describe(zeroTail)}, exactly sizeof returned {Describe(exact)}");
        }
        else
        {
            Assert.True(zeroTail == 0, $"{name}: a zero trailing byte returned {Describe(zeroTail)}, exactly sizeof succeeded");
        }
    }

    // TEST_F(iommufd, cmd_ex_fail)
    [Fact]
    public void Cmd_ex_fail()
    {
        // struct { struct iommu_destroy cmd; __u64 future; } with size = sizeof of the whole thing, id 0.
        var cmd = new UserBuffer(Host, PageSize);
        cmd.U32(0, 16);
        cmd.U32(4, 0);

        // A longer command with a zero tail is decoded; the ID is still invalid.
        SyscallAssert.Fails(Errno.ENOENT, Ioctl(IommuDestroy, cmd.Address));

        // The unknown future area is not zero.
        cmd.U64(8, 1);
        SyscallAssert.Fails(Errno.E2BIG, Ioctl(IommuDestroy, cmd.Address));

        // The original size ignores what follows it.
        cmd.U32(0, 8);
        SyscallAssert.Fails(Errno.ENOENT, Ioctl(IommuDestroy, cmd.Address));

        // Shorter than the last mandatory member.
        cmd.U32(0, 7);
        SyscallAssert.Fails(Errno.EINVAL, Ioctl(IommuDestroy, cmd.Address));
    }

    // TEST_F(iommufd, global_options): one iommu_option struct reused across calls, as the kernel test does.
    [Fact]
    public void Global_options()
    {
        var cmd = new UserBuffer(Host, PageSize);
        cmd.U32(0, OptionSize);
        cmd.U32(4, (uint)IommuOptionId.RlimitMode);
        cmd.U16(8, (ushort)IommuOptionOp.Get);
        cmd.U64(16, 1);

        SyscallAssert.Succeeds(Ioctl(IommuOption, cmd.Address));
        Assert.Equal(0UL, cmd.U64(16));

        // Needs CAP_SYS_RESOURCE, which the fixture's root process has.
        cmd.U16(8, (ushort)IommuOptionOp.Set);
        cmd.U64(16, 1);
        SyscallAssert.Succeeds(Ioctl(IommuOption, cmd.Address));
        cmd.U64(16, 2);
        SyscallAssert.Fails(Errno.EINVAL, Ioctl(IommuOption, cmd.Address));

        cmd.U16(8, (ushort)IommuOptionOp.Get);
        SyscallAssert.Succeeds(Ioctl(IommuOption, cmd.Address));
        Assert.Equal(1UL, cmd.U64(16));

        cmd.U16(8, (ushort)IommuOptionOp.Set);
        cmd.U64(16, 0);
        SyscallAssert.Succeeds(Ioctl(IommuOption, cmd.Address));

        // HUGE_PAGES is per IOAS; object_id 0 names none.
        cmd.U16(8, (ushort)IommuOptionOp.Get);
        cmd.U32(4, (uint)IommuOptionId.HugePages);
        SyscallAssert.Fails(Errno.ENOENT, Ioctl(IommuOption, cmd.Address));
        cmd.U16(8, (ushort)IommuOptionOp.Set);
        SyscallAssert.Fails(Errno.ENOENT, Ioctl(IommuOption, cmd.Address));
    }

    private static string Describe(int result) => result < 0 ? $"-{(Errno)(-result)}" : result.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
