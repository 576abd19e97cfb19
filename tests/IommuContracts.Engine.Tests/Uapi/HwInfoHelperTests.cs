using System.Runtime.InteropServices;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Uapi;

/// <summary>
/// The IOMMU_GET_HW_INFO helpers on the engine: the driver's data as its struct or as bytes of the driver's own
/// length, with the type, length and capabilities the kernel reports.
/// </summary>
public sealed class HwInfoHelperTests : IommufdFixture
{
    private readonly DeviceId _mockDevice;

    public HwInfoHelperTests()
    {
        Assert.Equal(Errno.None, MockDomain(AllocIoas(), out _, out _, out _mockDevice));
    }

    [Fact]
    public void The_mock_reports_its_selftest_struct_typed()
    {
        Assert.Equal(Errno.None, File.GetHwInfo(_mockDevice, out var info, out IommuTestHwInfo data));

        Assert.Equal(SelftestConstants.HwInfoSelftestRegval, data.TestReg);
        Assert.Equal(0u, data.Flags);
        Assert.Equal(IommuHwInfoType.Selftest, info.DataType);
        Assert.Equal((uint)Marshal.SizeOf<IommuTestHwInfo>(), info.DataLen);
        Assert.Equal(IommuHwCapabilities.DirtyTracking, info.OutCapabilities & IommuHwCapabilities.DirtyTracking);
        Assert.Equal(0UL, info.DataUptr);
    }

    [Fact]
    public void The_bytes_have_the_drivers_length_and_match_the_raw_stub()
    {
        Assert.Equal(Errno.None, File.GetHwInfo(_mockDevice, out var info, out byte[] data));

        Assert.Equal(8, data.Length);
        Assert.Equal(SelftestConstants.HwInfoSelftestRegval, MemoryMarshal.Read<IommuTestHwInfo>(data).TestReg);

        // The raw stub with a user buffer: the same bytes, type and length.
        var va = Process.Mmap(PageSize);
        uint length = 8;
        var type = IommuHwInfoType.Default;
        Assert.Equal(Errno.None, File.GetHwInfo(IommuHwInfoFlags.None, _mockDevice, va, ref length, ref type, out var pasidLog2, out var caps));
        Assert.Equal(ReadUser(va, 8), data);
        Assert.Equal(type, info.DataType);
        Assert.Equal(length, info.DataLen);
        Assert.Equal(caps, info.OutCapabilities);
        Assert.Equal(pasidLog2, info.OutMaxPasidLog2);
    }

    [Fact]
    public void A_struct_larger_than_the_drivers_is_zero_filled_past_its_data()
    {
        Assert.Equal(Errno.None, File.GetHwInfo(_mockDevice, out var info, out WideHwInfo data));

        Assert.Equal(SelftestConstants.HwInfoSelftestRegval, data.Head.TestReg);
        Assert.Equal(0UL, data.Tail);
        Assert.Equal(8u, info.DataLen);
    }

    [Fact]
    public void A_requested_type_the_driver_reports_is_used_and_one_it_cannot_is_EOPNOTSUPP()
    {
        Assert.Equal(Errno.None, File.GetHwInfo(_mockDevice, out var info, out IommuTestHwInfo data, IommuHwInfoType.Selftest));
        Assert.Equal(IommuHwInfoType.Selftest, info.DataType);
        Assert.Equal(SelftestConstants.HwInfoSelftestRegval, data.TestReg);

        Assert.Equal(Errno.EOPNOTSUPP, File.GetHwInfo(_mockDevice, out _, out IommuTestHwInfo none, IommuHwInfoType.IntelVtd));
        Assert.Equal(default, none);
        Assert.Equal(Errno.EOPNOTSUPP, File.GetHwInfo(_mockDevice, out _, out byte[] noBytes, IommuHwInfoType.IntelVtd));
        Assert.Empty(noBytes);
    }

    [Fact]
    public void An_unknown_device_is_ENOENT_with_nothing_returned()
    {
        Assert.Equal(Errno.ENOENT, File.GetHwInfo(new DeviceId(77), out _, out IommuTestHwInfo data));
        Assert.Equal(default, data);
        Assert.Equal(Errno.ENOENT, File.GetHwInfo(new DeviceId(77), out _, out byte[] bytes));
        Assert.Empty(bytes);
    }

    [Fact]
    public void A_device_whose_driver_has_no_data_costs_one_call()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var file = new InterceptingFile(host.File);

        Assert.Equal(Errno.None, file.GetHwInfo(idev.Id, out var info, out byte[] data));

        Assert.Empty(data);
        Assert.Equal(IommuHwInfoType.Default, info.DataType);
        Assert.Equal([IommuHwInfo.Command], file.Commands);
        IommuContracts.Engine.Kapi.Iommufd.DeviceUnbind(idev);
    }

    // The driver's 8 bytes and room for a field a newer driver might add.
    private readonly record struct WideHwInfo(IommuTestHwInfo Head, ulong Tail);
}
