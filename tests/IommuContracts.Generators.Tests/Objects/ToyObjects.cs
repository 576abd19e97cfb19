using IommuContracts;
using IommuContracts.Contracts;

namespace IommuContracts.Generators.Tests.Objects;

// A small object model declared only in the tests, to run the generated kind enum, destroy / abort tables
// and typed lookups for real.

[IommufdObjectBase]
public abstract partial class ToyObject
{
    public List<string> Log { get; } = new();
}

[IommufdObject(typeof(IoasId), Kind = 4)]
public sealed partial class ToyIoas : ToyObject
{
    public void Destroy() => Log.Add("ioas destroyed");
}

[IommufdObject(typeof(HwptId), Kind = 2)]
public sealed partial class ToyHwptPaging : ToyObject
{
    public void Destroy() => Log.Add("hwpt destroyed");

    public void Abort() => Log.Add("hwpt aborted");
}

[IommufdObject(typeof(HwptId), Kind = 3)]
public sealed partial class ToyHwptNested : ToyObject
{
    internal void Destroy() => Log.Add("nested destroyed");
}

[IommufdObjectTable(typeof(ToyObject))]
public sealed partial class ToyTable
{
    private readonly Dictionary<uint, ToyObject> _objects = new();

    public void Add(uint id, ToyObject value)
    {
        value.RawId = id;
        _objects[id] = value;
    }

    private partial Errno LookupCore<TObject>(uint id, ObjectKind kind, out TObject? value)
        where TObject : ToyObject
    {
        value = null;
        if (!_objects.TryGetValue(id, out var found) || (kind != ObjectKind.Any && found.Kind != kind))
        {
            return Errno.ENOENT;
        }

        value = (TObject)found;
        return Errno.None;
    }
}
