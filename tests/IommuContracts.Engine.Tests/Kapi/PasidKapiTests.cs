using IommuContracts.Contracts;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Kapi;

/// <summary>
/// The PASID side of the device kAPI (iommufd_device_attach / _replace / _detach with a pasid), as an external
/// driver uses it: each PASID's state apart from the RID's, the kernel's errno for every refusal, and the
/// runtime twins of the contract rules (IOMMU0002, IOMMU0004, IOMMU0007) for PASIDs.
/// </summary>
public class PasidKapiTests
{
    private const int PasidWidth = 20;

    [Fact]
    public void A_PASID_attaches_replaces_and_detaches_without_touching_the_RID()
    {
        var (host, idev) = PasidDevice();
        var ioas = host.AllocIoas();
        var first = host.AllocHwpt(idev.Id, ioas, IommuHwptAllocFlags.Pasid);
        var second = host.AllocHwpt(idev.Id, ioas, IommuHwptAllocFlags.Pasid);

        Assert.Equal(Errno.None, Iommufd.DeviceAttach(idev, 5, first, out var used));
        Assert.Equal(first, used);
        Assert.True(idev.IsPasidAttached(5));
        Assert.Equal([5u], idev.AttachedPasids);
        Assert.False(idev.IsAttached);
        Assert.Equal(Errno.EBUSY, host.Destroy(first));

        Assert.Equal(Errno.None, Iommufd.DeviceReplace(idev, 5, second, out used));
        Assert.Equal(second, used);
        Assert.Equal(second, idev.PasidHwpt(5));
        Assert.Equal(Errno.None, host.Destroy(first));

        Iommufd.DeviceDetach(idev, 5);
        Assert.False(idev.IsPasidAttached(5));
        Assert.Empty(idev.AttachedPasids);
        Assert.Equal(Errno.None, host.Destroy(second));
        Assert.Empty(EngineInspection.RefcountProblems(host.Context));
        Iommufd.DeviceUnbind(idev);
        host.AssertNoWarnings();
    }

    [Fact]
    public void The_kernel_refuses_what_cannot_take_a_PASID_and_leaves_nothing_behind()
    {
        var (host, idev) = PasidDevice();
        var ioas = host.AllocIoas();
        var plain = host.AllocHwpt(idev.Id, ioas);
        var compatible = host.AllocHwpt(idev.Id, ioas, IommuHwptAllocFlags.Pasid);

        // Not allocated with IOMMU_HWPT_ALLOC_PASID; an IOAS, whose automatic domain is not either; a PASID
        // past the device's width; a replace of a PASID never attached; an attach of one attached already.
        Assert.Equal(Errno.EINVAL, Iommufd.DeviceAttach(idev, 7, plain, out var used));
        Assert.Equal(HwptId.None, used);
        Assert.Equal(Errno.EINVAL, Iommufd.DeviceAttach(idev, 7, ioas, out _));
        Assert.DoesNotContain(host.IoasObject(ioas).Hwpts, h => h.AutoDomain);
        Assert.Equal(Errno.EINVAL, Iommufd.DeviceAttach(idev, 1u << PasidWidth, compatible, out _));
        Assert.Equal(Errno.EINVAL, Iommufd.DeviceReplace(idev, 7, compatible, out _));
        Assert.Equal(Errno.ENOENT, Iommufd.DeviceAttach(idev, 7, new HwptId(999), out _));
        Assert.Empty(idev.AttachedPasids);

        Assert.Equal(Errno.None, Iommufd.DeviceAttach(idev, (1u << PasidWidth) - 1, compatible, out _));
        Assert.Equal(Errno.EBUSY, Iommufd.DeviceAttach(idev, (1u << PasidWidth) - 1, compatible, out _));
        Assert.Equal(Errno.EINVAL, Iommufd.DeviceReplace(idev, (1u << PasidWidth) - 1, plain, out _));
        Assert.Equal(compatible, idev.PasidHwpt((1u << PasidWidth) - 1));

        Iommufd.DeviceDetach(idev, (1u << PasidWidth) - 1);
        Assert.Empty(EngineInspection.RefcountProblems(host.Context));
        Iommufd.DeviceUnbind(idev);
    }

    [Fact]
    public void The_RID_and_the_PASIDs_must_agree_on_PASID_compatibility()
    {
        var (host, idev) = PasidDevice();
        var ioas = host.AllocIoas();
        var plain = host.AllocHwpt(idev.Id, ioas);
        var compatible = host.AllocHwpt(idev.Id, ioas, IommuHwptAllocFlags.Pasid);

        // The RID on a HWPT that is not PASID-compatible keeps PASIDs out.
        host.Attach(idev, plain);
        Assert.Equal(Errno.EINVAL, Iommufd.DeviceAttach(idev, 3, compatible, out _));

        // On a compatible one they may come, and then the RID cannot go back.
        Assert.Equal(Errno.None, Iommufd.DeviceReplace(idev, compatible, out _));
        Assert.Equal(Errno.None, Iommufd.DeviceAttach(idev, 3, compatible, out _));
        Assert.Equal(Errno.EINVAL, Iommufd.DeviceReplace(idev, plain, out _));
        Iommufd.DeviceDetach(idev);
        Assert.Equal(Errno.EINVAL, Iommufd.DeviceAttach(idev, plain, out _));
        Assert.False(idev.IsAttached);

        // Without PASIDs the RID takes any HWPT again.
        Iommufd.DeviceDetach(idev, 3);
        host.Attach(idev, plain);
        Iommufd.DeviceDetach(idev);
        Iommufd.DeviceUnbind(idev);
        host.AssertNoWarnings();
    }

    [Fact]
    public void PASID_0_is_the_RID()
    {
        var (host, idev) = PasidDevice();
        var ioas = host.AllocIoas();

        Assert.Equal(Errno.None, Iommufd.DeviceAttach(idev, 0, ioas, out var used));
        Assert.True(idev.IsAttached);
        Assert.Equal(used, idev.AttachedHwpt);
        Assert.Empty(idev.AttachedPasids);

        Iommufd.DeviceDetach(idev, 0);
        Assert.False(idev.IsAttached);
        Iommufd.DeviceUnbind(idev);
    }

    [Fact]
    public void A_group_checks_the_PASID_against_every_device_that_has_PASIDs()
    {
        // One group: a device with 20-bit PASIDs and one without (the core skips the latter).
        var host = new KapiHost();
        var iommu = IommuInstance.RealLooking("dmar-pasid", pasidWidth: PasidWidth);
        var group = new IommuGroup(iommu);
        var withPasid = host.AddDevice(group);
        host.AddDevice(group);
        var idev = host.Bind(withPasid);
        var ioas = host.AllocIoas();
        var compatible = host.AllocHwpt(idev.Id, ioas, IommuHwptAllocFlags.Pasid);

        Assert.Equal(Errno.EINVAL, Iommufd.DeviceAttach(idev, 1u << PasidWidth, compatible, out _));
        Assert.Equal(Errno.None, Iommufd.DeviceAttach(idev, 42, compatible, out _));
        Iommufd.DeviceDetach(idev, 42);
        Iommufd.DeviceUnbind(idev);
    }

    [Fact]
    public void Detaching_a_PASID_answers_its_pending_faults()
    {
        var (host, idev) = PasidDevice();
        var ioas = host.AllocIoas();
        Assert.Equal(Errno.None, host.File.FaultQueueAlloc(IommuFaultAllocFlags.None, out var fault, out var faultFd));
        Assert.Equal(Errno.None, host.File.HwptAlloc(IommuHwptAllocFlags.Pasid | IommuHwptAllocFlags.FaultIdValid, idev.Id, ioas,
            IommuHwptDataType.None, 0, 0, fault, out var iopf));
        Assert.Equal(Errno.None, Iommufd.DeviceAttach(idev, 9, iopf, out _));

        var request = new IommuPageRequest(IommuPgfaultFlags.PasidValid | IommuPgfaultFlags.LastPage, 9, 4, IommuPgfaultPerm.Read, 0x1000);
        Iommufd.ReportPageRequest(idev.Device, request);
        Assert.Empty(idev.Device.PageResponses);

        // Nobody will answer through the fault fd once the PASID is gone: the kernel answers INVALID.
        Iommufd.DeviceDetach(idev, 9);
        var response = Assert.Single(idev.Device.PageResponses);
        Assert.Equal(new IommuPageResponse(4, 9, true, IommuPageResponseCode.Invalid), response);

        Assert.Equal(Errno.None, host.Process.Close(faultFd));
        Iommufd.DeviceUnbind(idev);
    }

    // ---- runtime twins ----

    [Fact]
    public void Detaching_a_PASID_that_is_not_attached_is_IOMMU0007_and_changes_nothing()
    {
        var (host, idev) = PasidDevice();
        var ioas = host.AllocIoas();
        var compatible = host.AllocHwpt(idev.Id, ioas, IommuHwptAllocFlags.Pasid);
        Assert.Equal(Errno.None, Iommufd.DeviceAttach(idev, 1, compatible, out _));

        var detach = Assert.Throws<ContractViolationException>(() => Iommufd.DeviceDetach(idev, 2));
        Assert.Equal(RuleIds.DetachWhenNotAttached, detach.RuleId);
        Assert.Equal([1u], idev.AttachedPasids);

        // Fixed: ask first.
        if (idev.IsPasidAttached(2))
        {
            Iommufd.DeviceDetach(idev, 2);
        }

        Iommufd.DeviceDetach(idev, 1);
        Iommufd.DeviceUnbind(idev);
    }

    [Fact]
    public void Unbinding_with_a_PASID_attached_is_IOMMU0004_and_changes_nothing()
    {
        var (host, idev) = PasidDevice();
        var ioas = host.AllocIoas();
        var compatible = host.AllocHwpt(idev.Id, ioas, IommuHwptAllocFlags.Pasid);
        Assert.Equal(Errno.None, Iommufd.DeviceAttach(idev, 11, compatible, out _));

        var unbind = Assert.Throws<ContractViolationException>(() => Iommufd.DeviceUnbind(idev));
        Assert.Equal(RuleIds.UnbindWhileAttached, unbind.RuleId);
        Assert.Contains("11", unbind.Message, StringComparison.Ordinal);
        Assert.False(idev.IsUnbound);
        Assert.True(idev.IsPasidAttached(11));

        // Fixed: detach every PASID, then unbind.
        Iommufd.DeviceDetach(idev, 11);
        Iommufd.DeviceUnbind(idev);
        Assert.Equal(Errno.None, host.Destroy(compatible));
        host.AssertNoWarnings();
    }

    [Fact]
    public void A_PASID_call_after_unbind_is_IOMMU0002()
    {
        var (host, idev) = PasidDevice();
        var ioas = host.AllocIoas();
        var compatible = host.AllocHwpt(idev.Id, ioas, IommuHwptAllocFlags.Pasid);
        Iommufd.DeviceUnbind(idev);

        Assert.Equal(RuleIds.UseAfterUnbind, Assert.Throws<ContractViolationException>(() => Iommufd.DeviceAttach(idev, 1, compatible, out _)).RuleId);
        Assert.Equal(RuleIds.UseAfterUnbind, Assert.Throws<ContractViolationException>(() => Iommufd.DeviceReplace(idev, 1, compatible, out _)).RuleId);
        Assert.Equal(RuleIds.UseAfterUnbind, Assert.Throws<ContractViolationException>(() => Iommufd.DeviceDetach(idev, 1)).RuleId);
        Assert.False(idev.IsPasidAttached(1));
    }

    private static (KapiHost Host, IommufdDevice Idev) PasidDevice()
    {
        var host = new KapiHost();
        var device = host.AddDevice(iommu: IommuInstance.RealLooking("dmar-pasid", pasidWidth: PasidWidth));
        return (host, host.Bind(device));
    }
}
