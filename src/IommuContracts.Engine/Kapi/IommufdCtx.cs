using IommuContracts.Contracts;
using IommuContracts.Engine.Core;

namespace IommuContracts.Engine.Kapi;

/// <summary>
/// A driver's reference to an iommufd context (struct iommufd_ctx *). Each reference is a reference on the
/// /dev/iommu file: the context lives while any is held, even after user space closed its fd.
/// </summary>
[Typestate("Held")]
public sealed class IommufdCtx
{
    private int _references;

    internal IommufdCtx(IommufdContext context)
    {
        Context = context;
        _references = 1;
    }

    internal IommufdContext Context { get; }

    /// <summary>The context an ioctl runs in, as the selftest driver sees it: no reference of its own to put.</summary>
    internal static IommufdCtx ForIoctl(IommufdContext context)
    {
        var ctx = new IommufdCtx(context);
        ctx._references = 0;
        return ctx;
    }

    /// <summary>References this handle holds (each must be put once).</summary>
    public int References => Volatile.Read(ref _references);

    internal void Get()
    {
        if (Interlocked.Increment(ref _references) <= 1)
        {
            Interlocked.Decrement(ref _references);
            throw new ContractViolationException(RuleIds.UseAfterUnbind, "iommufd_ctx_get on a context reference already put; take a reference with CtxFromFd first");
        }

        Context.GetFileReference();
    }

    internal void Put()
    {
        if (Interlocked.Decrement(ref _references) < 0)
        {
            Interlocked.Increment(ref _references);
            throw new ContractViolationException(RuleIds.UseAfterUnbind, "iommufd_ctx_put without a matching CtxFromFd or CtxGet; put each reference exactly once");
        }

        Context.PutFileReference();
    }

    /// <summary>The handle for logs.</summary>
    /// <returns><c>iommufd_ctx</c>.</returns>
    public override string ToString() => "iommufd_ctx";
}
