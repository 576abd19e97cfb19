using IommuContracts.Contracts;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.IoPageTable;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Core;

// IOMMU_OPTION: RLIMIT_MODE (global) and HUGE_PAGES (per IOAS). Only val64 is copied back.
internal sealed partial class IommufdContext
{
    [IoctlHandler(typeof(IommuOption))]
    private Errno Option(ref IommuOption option, ref IommuContracts.Ioctl.IoctlCall call) => option.OptionId switch
    {
        IommuOptionId.RlimitMode => RlimitModeOption(ref option, Caller(ref call)),
        IommuOptionId.HugePages => HugePagesOption(ref option),
        _ => Errno.EOPNOTSUPP,
    };

    private Errno RlimitModeOption(ref IommuOption option, SimulatedProcess caller)
    {
        if (option.ObjectId.IsValid)
        {
            return Errno.EOPNOTSUPP;
        }

        switch (option.Op)
        {
            case IommuOptionOp.Get:
                option.Val64 = AccountMode == AccountMode.Mm ? 1UL : 0UL;
                return Errno.None;
            case IommuOptionOp.Set:
                if (!caller.Has(Capabilities.SysResource))
                {
                    return Errno.EPERM;
                }

                // Only an empty context may change how its pins are charged.
                if (!Objects.IsEmpty)
                {
                    return Errno.EBUSY;
                }

                switch (option.Val64)
                {
                    case 0:
                        AccountMode = AccountMode.User;
                        return Errno.None;
                    case 1:
                        AccountMode = AccountMode.Mm;
                        return Errno.None;
                    default:
                        return Errno.EINVAL;
                }

            default:
                return Errno.EOPNOTSUPP;
        }
    }

    private Errno HugePagesOption(ref IommuOption option)
    {
        var found = Objects.Get(IoasId.FromObjectId(option.ObjectId), out Ioas? ioas);
        if (found != Errno.None)
        {
            return found;
        }

        try
        {
            switch (option.Op)
            {
                case IommuOptionOp.Get:
                    option.Val64 = ioas!.Iopt.LargePagesDisabled ? 0UL : 1UL;
                    return Errno.None;
                case IommuOptionOp.Set when option.Val64 == 0:
                    return ioas!.Iopt.DisableLargePages();
                case IommuOptionOp.Set when option.Val64 == 1:
                    ioas!.Iopt.EnableLargePages();
                    return Errno.None;
                case IommuOptionOp.Set:
                    return Errno.EINVAL;
                default:
                    return Errno.EOPNOTSUPP;
            }
        }
        finally
        {
            Objects.Put(ioas!);
        }
    }
}
