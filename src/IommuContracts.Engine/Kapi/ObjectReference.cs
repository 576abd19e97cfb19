using IommuContracts.Contracts;
using IommuContracts.Engine.Core;

namespace IommuContracts.Engine.Kapi;

/// <summary>
/// The short-term reference a driver holds on an iommufd object it looked up (iommufd_get_object …
/// iommufd_put_object): while held, the object cannot be destroyed (user space's DESTROY answers EBUSY). Using
/// it after the put, or putting it twice, is IOMMU0002.
/// </summary>
internal sealed class ObjectReference
{
    private int _released;

    public ObjectReference(IommufdObject target, string what)
    {
        Target = target;
        What = what;
    }

    public IommufdObject Target { get; }

    public string What { get; }

    public bool IsReleased => Volatile.Read(ref _released) != 0;

    public void Check(string operation)
    {
        if (IsReleased)
        {
            throw new ContractViolationException(RuleIds.UseAfterUnbind,
                $"{operation} on {What} after it was put; look it up again to use it");
        }
    }

    public void Release(string operation)
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            throw new ContractViolationException(RuleIds.UseAfterUnbind,
                $"{operation} on {What} twice; put each lookup exactly once");
        }

        Target.Context.Objects.Put(Target);
    }
}
