using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// Port of the newest kernel selftests' <c>iommufd_device_pasid</c> fixture: a PASID-capable mock device
/// attached to the IOAS, and for the <c>no_pasid</c> variant a second mock device without PASID support.
/// </summary>
public abstract class IommufdDevicePasidTestsBase : IommufdFixture
{
    private const uint HwptSelftestSize = IommufdViommuFixture.HwptSelftestSize;

    protected IommufdDevicePasidTestsBase(bool pasidCapable)
    {
        PasidCapable = pasidCapable;
        Assert.Equal(Errno.None, File.IoasAlloc(IommuIoasAllocFlags.None, out var ioas));
        Ioas = ioas;
        Assert.Equal(Errno.None, MockDomain(Ioas, out var stdev, out var hwpt, out var device, MockDeviceFlags.Pasid));
        StdevId = stdev;
        HwptId = hwpt;
        DeviceId = device;
        if (!pasidCapable)
        {
            // test_cmd_mock_domain_flags(ioas, 0): a device without MOCK_FLAGS_DEVICE_PASID.
            Assert.Equal(Errno.None, MockDomain(Ioas, out var noPasidStdev, out _, out var noPasidDevice));
            NoPasidStdevId = noPasidStdev;
            NoPasidDeviceId = noPasidDevice;
        }
    }

    /// <summary>variant->pasid_capable.</summary>
    public bool PasidCapable { get; }

    /// <summary>self->ioas_id.</summary>
    public IoasId Ioas { get; }

    /// <summary>self->stdev_id: the PASID-capable mock device.</summary>
    public SelftestId StdevId { get; }

    /// <summary>self->hwpt_id: its automatic domain.</summary>
    public HwptId HwptId { get; }

    /// <summary>self->device_id.</summary>
    public DeviceId DeviceId { get; }

    /// <summary>self->no_pasid_stdev_id (no_pasid variant only).</summary>
    public SelftestId NoPasidStdevId { get; }

    /// <summary>self->no_pasid_device_id (no_pasid variant only).</summary>
    public DeviceId NoPasidDeviceId { get; }

    // TEST_F(iommufd_device_pasid, pasid_attach).
    [Fact]
    public void Pasid_attach()
    {
        var data = new UserBuffer(Host, PageSize);
        data.U32(0, SelftestConstants.TestIotlbDefault);
        uint pasid = 100;

        // Detaching a PASID never attached is not expected, but does not fail.
        Assert.Equal(Errno.None, PasidDetach(StdevId, pasid));

        // Two nested HWPTs sharing one parent.
        Assert.Equal(Errno.None, HwptAlloc(DeviceId, Ioas, IommuHwptAllocFlags.NestParent, out var parent));
        Assert.Equal(Errno.None, HwptAlloc(DeviceId, parent, IommuHwptAllocFlags.Pasid, IommuHwptDataType.Selftest, data.Address, HwptSelftestSize, out var nested0));
        Assert.Equal(Errno.None, HwptAlloc(DeviceId, parent, IommuHwptAllocFlags.Pasid, IommuHwptDataType.Selftest, data.Address, HwptSelftestSize, out var nested1));

        // Fault related preparation.
        var (faultId, faultFd) = FaultAlloc();
        Assert.Equal(Errno.None, HwptAlloc(DeviceId, parent, IommuHwptAllocFlags.FaultIdValid | IommuHwptAllocFlags.Pasid, IommuHwptDataType.Selftest,
            data.Address, HwptSelftestSize, out var iopfHwpt, faultId));

        // A regular nested HWPT on a vIOMMU.
        Assert.Equal(Errno.None, ViommuAlloc(DeviceId, parent, IommuViommuType.Selftest, 0, 0, out var viommu));
        Assert.Equal(Errno.None, HwptAlloc(DeviceId, viommu, IommuHwptAllocFlags.Pasid, IommuHwptDataType.Selftest, data.Address, HwptSelftestSize, out _));

        Assert.Equal(Errno.None, HwptAlloc(DeviceId, Ioas, IommuHwptAllocFlags.Pasid, out var s2));

        // RID on a domain that is not PASID-compatible: a PASID attach fails.
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, parent));
        Assert.Equal(Errno.EINVAL, PasidAttach(StdevId, pasid, s2));

        // RID on a PASID-compatible domain: the PASID attach succeeds, and now the RID cannot go back to one
        // that is not compatible.
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, s2));
        Assert.Equal(Errno.None, PasidAttach(StdevId, pasid, nested0));
        Assert.Equal(Errno.EINVAL, ReplaceMockDevice(StdevId, parent));

        // Detach, and PASID 100 has no domain.
        Assert.Equal(Errno.None, PasidDetach(StdevId, pasid));
        Assert.Equal(Errno.None, PasidCheckHwpt(StdevId, pasid, HwptId.None));

        if (!PasidCapable)
        {
            // A PASID-compatible domain serves a device without PASIDs too.
            Assert.Equal(Errno.None, ReplaceMockDevice(NoPasidStdevId, nested0));
            Assert.Equal(Errno.None, ReplaceMockDevice(NoPasidStdevId, Ioas));

            // Its PASIDs attach to nothing, whether the domain is PASID-compatible or not.
            Assert.Equal(Errno.EINVAL, PasidAttach(NoPasidStdevId, pasid, parent));
            Assert.Equal(Errno.EINVAL, PasidAttach(NoPasidStdevId, pasid, s2));
        }

        // A domain that is not PASID-compatible, or an IOAS, cannot take the PASID; it stays without a domain.
        Assert.Equal(Errno.EINVAL, PasidAttach(StdevId, pasid, parent));
        Assert.Equal(Errno.None, PasidCheckHwpt(StdevId, pasid, HwptId.None));
        Assert.Equal(Errno.EINVAL, PasidAttach(StdevId, pasid, Ioas));
        Assert.Equal(Errno.None, PasidCheckHwpt(StdevId, pasid, HwptId.None));

        // The S2 HWPT can.
        Assert.Equal(Errno.None, PasidAttach(StdevId, pasid, s2));
        Assert.Equal(Errno.None, PasidCheckHwpt(StdevId, pasid, s2));

        // Attach does not overwrite (REPLACE does).
        Assert.Equal(Errno.EBUSY, PasidAttach(StdevId, pasid, nested0));

        Assert.Equal(Errno.None, PasidDetach(StdevId, pasid));
        Assert.Equal(Errno.None, PasidCheckHwpt(StdevId, pasid, HwptId.None));

        // A nested HWPT on the PASID.
        Assert.Equal(Errno.None, PasidAttach(StdevId, pasid, nested0));
        Assert.Equal(Errno.None, PasidCheckHwpt(StdevId, pasid, nested0));
        Assert.Equal(Errno.EBUSY, PasidAttach(StdevId, pasid, nested0));
        Assert.Equal(Errno.None, PasidDetach(StdevId, pasid));

        // Replace tests, PASID 200: replace needs an attach first.
        pasid = 200;
        Assert.Equal(Errno.EINVAL, PasidReplace(StdevId, pasid, s2));
        Assert.Equal(Errno.None, PasidAttach(StdevId, pasid, s2));
        Assert.Equal(Errno.None, PasidCheckHwpt(StdevId, pasid, s2));

        // An IOAS fails and the PASID keeps the S2 HWPT.
        Assert.Equal(Errno.EINVAL, PasidReplace(StdevId, pasid, Ioas));
        Assert.Equal(Errno.None, PasidCheckHwpt(StdevId, pasid, s2));

        // Nested HWPTs replace it, one after the other.
        Assert.Equal(Errno.None, PasidReplace(StdevId, pasid, nested0));
        Assert.Equal(Errno.None, PasidCheckHwpt(StdevId, pasid, nested0));
        Assert.Equal(Errno.None, PasidReplace(StdevId, pasid, nested1));
        Assert.Equal(Errno.None, PasidCheckHwpt(StdevId, pasid, nested1));
        Assert.Equal(Errno.None, PasidDetach(StdevId, pasid));

        // PASID 1024: the mock fails the second attach on purpose; the replace fails and the old domain stays.
        pasid = SelftestConstants.TestPasidReserved;
        Assert.Equal(Errno.None, PasidAttach(StdevId, pasid, s2));
        Assert.Equal(Errno.None, PasidCheckHwpt(StdevId, pasid, s2));
        Assert.Equal(Errno.ENOMEM, PasidReplace(StdevId, pasid, nested0));
        Assert.Equal(Errno.None, PasidCheckHwpt(StdevId, pasid, s2));
        Assert.Equal(Errno.None, PasidDetach(StdevId, pasid));

        // An IOPF-capable HWPT on PASID 2048: a fault with that PASID reaches its queue and is answered.
        pasid = 2048;
        Assert.Equal(Errno.None, PasidAttach(StdevId, pasid, iopfHwpt));
        Assert.Equal(Errno.None, PasidCheckHwpt(StdevId, pasid, iopfHwpt));
        var fault = TriggerIopfAndRespond(DeviceId, pasid, faultFd);
        Assert.Equal(IommuPgfaultFlags.PasidValid | IommuPgfaultFlags.LastPage, fault.Flags);
        Assert.Equal(pasid, fault.Pasid);
        Assert.Equal(DeviceId, fault.DevId);

        Assert.Equal(Errno.None, PasidReplace(StdevId, pasid, s2));
        Assert.Equal(Errno.None, PasidCheckHwpt(StdevId, pasid, s2));
        Assert.Equal(Errno.None, PasidDetach(StdevId, pasid));

        Assert.Equal(Errno.None, File.Destroy(iopfHwpt));
        Assert.Equal(Errno.None, Process.Close(faultFd));
        Assert.Equal(Errno.None, File.Destroy(faultId));

        // The S2 HWPT leaves the RID.
        Assert.Equal(Errno.None, ReplaceMockDevice(StdevId, Ioas));
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_device_pasid, no_pasid).</summary>
public sealed class IommufdDevicePasidNoPasidTests : IommufdDevicePasidTestsBase
{
    public IommufdDevicePasidNoPasidTests()
        : base(pasidCapable: false)
    {
    }
}

/// <summary>FIXTURE_VARIANT_ADD(iommufd_device_pasid, has_pasid).</summary>
public sealed class IommufdDevicePasidHasPasidTests : IommufdDevicePasidTestsBase
{
    public IommufdDevicePasidHasPasidTests()
        : base(pasidCapable: true)
    {
    }
}
