// Shape: iommufd_ctx_from_fd used only as "is this fd an iommufd?", the reference discarded
// From: fd validation helpers that forget a reference was taken
// Label: BUG
// Runtime: leak

public static class FdKind
{
    public static bool IsIommufd(SimulatedProcess process, int fd)
        => Iommufd.CtxFromFd(process, fd, out _) == Errno.None; //~ IOMMU0008
}

// ---- scenario ----
public static class Scenario
{
    public static Errno Run(TwinLab lab) => FdKind.IsIommufd(lab.Process, lab.Fd) ? Errno.None : Errno.EBADF;
}
