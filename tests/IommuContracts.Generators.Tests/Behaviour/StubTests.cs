using IommuContracts;
using IommuContracts.Generators.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Generators.Tests.Behaviour;

/// <summary>Typed stubs: size filled in, reserved zero, outputs returned as typed values, errno returned.</summary>
public class StubTests
{
    private readonly DispatchHarness _harness = new();

    private LoopbackFile File => new(_harness.Memory, _harness.Dispatcher.Dispatch);

    [Fact]
    public void Map_stub_fills_size_and_fields_and_returns_the_iova()
    {
        _harness.Dispatcher.Rewrite = b =>
        {
            StructBytes.Poke(b, 32, 8, 0x4000);
            return b;
        };
        ulong iova = 0;

        var rc = File.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, new IoasId(3), 0x7000_0000, 0x2000, ref iova);

        Assert.Equal(Errno.None, rc);
        Assert.Equal(0x4000UL, iova);
        var sent = _harness.Dispatcher.LastArgument!;
        Assert.Equal(40UL, StructBytes.Peek(sent, 0, 4));
        Assert.Equal(6UL, StructBytes.Peek(sent, 4, 4));
        Assert.Equal(3UL, StructBytes.Peek(sent, 8, 4));
        Assert.Equal(0UL, StructBytes.Peek(sent, 12, 4));
        Assert.Equal(0x7000_0000UL, StructBytes.Peek(sent, 16, 8));
        Assert.Equal(0x2000UL, StructBytes.Peek(sent, 24, 8));
    }

    [Fact]
    public void Alloc_stub_returns_a_typed_id()
    {
        _harness.Dispatcher.Rewrite = b =>
        {
            StructBytes.Poke(b, 8, 4, 5);
            return b;
        };

        Assert.Equal(Errno.None, File.IoasAlloc(IommuIoasAllocFlags.None, out var ioas));
        Assert.Equal(new IoasId(5), ioas);
        Assert.True(ioas.IsValid);
    }

    [Fact]
    public void Stub_returns_the_errno_of_a_failed_call()
    {
        _harness.Dispatcher.Result = Errno.EBUSY;
        Assert.Equal(Errno.EBUSY, File.Destroy(new IoasId(1)));
    }

    [Fact]
    public void Vfio_stub_fills_argsz_sends_the_page_table_and_returns_the_hwpt_written_back()
    {
        _harness.Dispatcher.Rewrite = b =>
        {
            StructBytes.Poke(b, 8, 4, 7);
            return b;
        };

        Assert.Equal(Errno.None, File.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, new IoasId(2), 0, out var hwpt));

        Assert.Equal(16UL, StructBytes.Peek(_harness.Dispatcher.LastArgument!, 0, 4));
        Assert.Equal(2UL, StructBytes.Peek(_harness.Dispatcher.LastArgument!, 8, 4));
        Assert.Equal(new HwptId(7), hwpt);
    }

    [Fact]
    public void Vfio_attach_stub_returns_no_hwpt_when_the_call_fails()
    {
        // On error the kernel copies nothing back: the field still holds the IOAS ID, which is no HWPT ID.
        _harness.Dispatcher.Result = Errno.EINVAL;

        Assert.Equal(Errno.EINVAL, File.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, new IoasId(2), 0, out var hwpt));

        Assert.Equal(HwptId.None, hwpt);
    }

    [Fact]
    public void Page_table_ids_take_an_ioas_or_a_hwpt_and_keep_the_raw_value()
    {
        PageTableId ioas = new IoasId(3);
        PageTableId hwpt = new HwptId(4);
        ObjectId untyped = hwpt;

        Assert.Equal(3u, ioas.Value);
        Assert.Equal(4u, untyped.Value);
        Assert.Equal(new PageTableId(4), hwpt);
        Assert.False(PageTableId.None.IsValid);
        Assert.Equal("PageTableId(3)", ioas.ToString());
    }

    [Fact]
    public void Value_stub_passes_the_integer_and_returns_the_result()
    {
        _harness.Dispatcher.ValueResult = 1;
        Assert.Equal(Errno.None, File.VfioCheckExtension(VfioConstants.Type1v2Iommu, out var supported));
        Assert.Equal(1, supported);
        Assert.Equal(VfioConstants.Type1v2Iommu, _harness.Dispatcher.LastValue);

        _harness.Dispatcher.ValueResult = -(int)Errno.ENODEV;
        Assert.Equal(Errno.ENODEV, File.VfioSetIommu(VfioConstants.Type1Iommu, out _));
    }

    [Fact]
    public void Typed_ids_are_never_valid_at_zero_and_convert_to_object_ids()
    {
        Assert.False(IoasId.None.IsValid);
        ObjectId any = new HwptId(9);
        Assert.Equal(9u, any.Value);
        Assert.Equal(new HwptId(9), HwptId.FromObjectId(any));
        Assert.Equal("HwptId(9)", new HwptId(9).ToString());
        Assert.NotEqual(new IoasId(1).GetHashCode(), new IoasId(2).GetHashCode());
    }

    [Fact]
    public void A_page_table_id_converts_implicitly_only_from_an_ioas_or_a_hwpt()
    {
        var compilation = GeneratorHarness.Compile("""
            using IommuContracts;

            static class Use
            {
                static void Convert()
                {
                    PageTableId fromIoas = new IoasId(1);
                    PageTableId fromHwpt = new HwptId(2);
                    PageTableId fromObjectId = new ObjectId(3);
                    PageTableId fromUInt = 4u;
                    PageTableId fromDevice = new DeviceId(5);
                    HwptId back = fromHwpt;
                }
            }
            """);

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
            .Select(d => (d.Id, Line: d.Location.GetLineSpan().StartLinePosition.Line + 1))
            .OrderBy(e => e.Line)
            .ToList();
        Assert.Equal([("CS0029", 9), ("CS0029", 10), ("CS0029", 11), ("CS0029", 12)], errors);
    }
}
