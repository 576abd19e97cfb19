// Shape: a release path puts the context reference and a generic cleanup puts it again
// From: double iommufd_ctx_put in unwinding code
// Label: BUG
// Runtime: violation IOMMU0002

public sealed class ContextUser
{
    public Errno Use(SimulatedProcess process, int fd, IommuGroup group)
    {
        var rc = Iommufd.CtxFromFd(process, fd, out var ictx);
        if (rc != Errno.None)
        {
            return rc;
        }

        var owned = Iommufd.CtxHasGroup(ictx!, group);
        Iommufd.CtxPut(ictx!);
        Console.WriteLine($"owned: {owned}");
        Iommufd.CtxPut(ictx!); //~ IOMMU0002
        return Errno.None;
    }
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => new ContextUser().Use(lab.Process, lab.Fd, lab.Device().Group);
}
