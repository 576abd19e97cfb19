using IommuContracts.Contracts;

namespace IommuContracts.Engine.Kapi;

/// <summary>
/// The runtime twin of IOMMU0003: a null handle reaching the kAPI is the output of a call that failed and
/// whose Errno nobody checked (the kernel would dereference an ERR_PTR).
/// </summary>
internal static class NullHandle
{
    public static void Check(object? handle, string parameter)
    {
        if (handle is null)
        {
            throw new ContractViolationException(RuleIds.UncheckedResult,
                $"'{parameter}' is null: the call that should have produced it failed and its Errno was not checked; check the result before using its outputs");
        }
    }
}
