// Shape: a goto error ladder: take a context reference, bind the function, create the access for its mailbox, unwind in reverse
// From: drivers/iommu/iommufd/selftest.c (out_unbind / out_mdev labels) and QEMU's err_* labels
// Label: OK
// Runtime: clean

public sealed class MailboxOps : IIommufdAccessOps
{
    public bool NeedsPinPages => false;

    public void Unmap(ulong iova, ulong length)
    {
    }
}

[DriverManagedDma]
public sealed class HybridDevice
{
    public Errno SelfTest(SimulatedProcess process, int iommufd, PciDevice pdev)
    {
        var rc = Iommufd.CtxFromFd(process, iommufd, out var ictx);
        if (rc != Errno.None)
        {
            goto out_none;
        }

        rc = Iommufd.DeviceBind(ictx!, pdev, out var idev, out _);
        if (rc != Errno.None)
        {
            goto out_put;
        }

        rc = Iommufd.AccessCreate(ictx!, new MailboxOps(), out var mailbox, out _);
        if (rc != Errno.None)
        {
            goto out_unbind;
        }

        Console.WriteLine($"{pdev.Address}: device {Iommufd.DeviceToId(idev!)} mailbox {mailbox!.Id}");
        Iommufd.AccessDestroy(mailbox);
    out_unbind:
        Iommufd.DeviceUnbind(idev!);
    out_put:
        Iommufd.CtxPut(ictx!);
    out_none:
        return rc;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new HybridDevice().SelfTest(lab.Process, lab.Fd, lab.Device());
}
