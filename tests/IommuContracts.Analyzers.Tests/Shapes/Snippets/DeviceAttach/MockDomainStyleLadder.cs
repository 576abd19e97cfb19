// Shape: bind, attach, record the IDs, and the two-label unwind of the selftest mock-domain command
// From: drivers/iommu/iommufd/selftest.c iommufd_test_mock_domain (out_unbind / out_mdev)
// Label: OK
// Runtime: clean ENOENT

public sealed record MockDomainResult(DeviceId Device, HwptId Hwpt);

[DriverManagedDma]
public sealed class MockDomainCommand
{
    private IommufdDevice? _idev;

    public Errno Execute(IommufdCtx ictx, PciDevice pdev, IoasId ptId, out MockDomainResult? result)
    {
        result = null;
        var rc = Iommufd.DeviceBind(ictx, pdev, out var idev, out var idevId);
        if (rc != Errno.None)
        {
            goto out_mdev;
        }

        rc = Iommufd.DeviceAttach(idev!, ptId, out var hwpt);
        if (rc != Errno.None)
        {
            goto out_unbind;
        }

        _idev = idev;
        result = new MockDomainResult(idevId, hwpt);
        return Errno.None;

    out_unbind:
        Iommufd.DeviceUnbind(idev!);
    out_mdev:
        return rc;
    }

    public void Destroy()
    {
        if (_idev is null)
        {
            return;
        }

        Iommufd.DeviceDetach(_idev);
        Iommufd.DeviceUnbind(_idev);
        _idev = null;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab)
    {
        var command = new MockDomainCommand();
        var rc = command.Execute(lab.Ctx, lab.Device(), lab.Ioas, out var result);
        Console.WriteLine(result);
        command.Destroy();
        return rc != Errno.None ? Errno.EINVAL : command.Execute(lab.Ctx, lab.Device(), new IoasId(4242), out _);
    }
}
