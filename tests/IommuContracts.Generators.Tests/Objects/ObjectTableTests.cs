using IommuContracts;

namespace IommuContracts.Generators.Tests.Objects;

/// <summary>The generated object-ID tables, run for real on an object model that exists only in the tests.</summary>
public class ObjectTableTests
{
    [Fact]
    public void Kind_enum_carries_the_declared_numbers()
    {
        Assert.Equal(0, (int)ObjectKind.Any);
        Assert.Equal(2, (int)ObjectKind.ToyHwptPaging);
        Assert.Equal(3, (int)ObjectKind.ToyHwptNested);
        Assert.Equal(4, (int)ObjectKind.ToyIoas);
        Assert.Equal(ObjectKind.ToyIoas, new ToyIoas().Kind);
    }

    [Fact]
    public void Typed_id_comes_from_the_raw_id()
    {
        var table = new ToyTable();
        var ioas = new ToyIoas();
        table.Add(7, ioas);
        Assert.Equal(new IoasId(7), ioas.Id);
    }

    [Fact]
    public void Destroy_table_calls_each_kinds_destroy()
    {
        var ioas = new ToyIoas();
        var hwpt = new ToyHwptPaging();
        var nested = new ToyHwptNested();
        ToyObject.DestroyOps[(int)ioas.Kind]!(ioas);
        ToyObject.DestroyOps[(int)hwpt.Kind]!(hwpt);
        ToyObject.DestroyOps[(int)nested.Kind]!(nested);
        Assert.Equal(["ioas destroyed"], ioas.Log);
        Assert.Equal(["hwpt destroyed"], hwpt.Log);
        Assert.Equal(["nested destroyed"], nested.Log);
        Assert.Null(ToyObject.DestroyOps[0]);
        Assert.Null(ToyObject.DestroyOps[1]);
        Assert.Equal(5, ToyObject.DestroyOps.Length);
    }

    [Fact]
    public void Abort_table_uses_abort_where_declared_and_destroy_elsewhere()
    {
        var hwpt = new ToyHwptPaging();
        var ioas = new ToyIoas();
        ToyObject.AbortOps[(int)hwpt.Kind]!(hwpt);
        ToyObject.AbortOps[(int)ioas.Kind]!(ioas);
        Assert.Equal(["hwpt aborted"], hwpt.Log);
        Assert.Equal(["ioas destroyed"], ioas.Log);
    }

    [Fact]
    public void Typed_lookups_find_their_kind_and_refuse_others_with_ENOENT()
    {
        var table = new ToyTable();
        var ioas = new ToyIoas();
        var paging = new ToyHwptPaging();
        table.Add(1, ioas);
        table.Add(2, paging);

        Assert.Equal(Errno.None, table.Get(new IoasId(1), out ToyIoas? foundIoas));
        Assert.Same(ioas, foundIoas);
        Assert.Equal(Errno.None, table.Get(new HwptId(2), out ToyHwptPaging? foundPaging));
        Assert.Same(paging, foundPaging);

        // An ID of the right number but the wrong kind is ENOENT, as in the kernel.
        Assert.Equal(Errno.ENOENT, table.Get(new HwptId(2), out ToyHwptNested? nested));
        Assert.Null(nested);
        Assert.Equal(Errno.ENOENT, table.Get(new IoasId(2), out ToyIoas? wrong));
        Assert.Null(wrong);
        Assert.Equal(Errno.ENOENT, table.Get(new IoasId(9), out ToyIoas? missing));
        Assert.Null(missing);
    }
}
