using System.Reflection;
using IommuContracts.Engine.Tests.Support.Hosts;
using IommuContracts.Engine.Tests.Support.Recording;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Replay;

/// <summary>
/// The recorder prints what two hosts must agree on and names what they may not: user addresses and fds.
/// </summary>
public class RecordingTests
{
    // Every u64 field of a uapi struct that is a number (IOVA, length, size, flags, count), not a user address.
    private static readonly HashSet<string> NumericFields = new(StringComparer.Ordinal)
    {
        "Iova", "Length", "Start", "Last", "OutIovaAlignment", "Val64", "PageSize", "DstIova", "SrcIova", "Size",
        "IovaPgsizes", "OutNrDirty", "NestingParentIova", "OutCapabilities", "CapReg", "EcapReg", "VirtId",
    };

    [Fact]
    public void Every_u64_field_of_a_uapi_struct_is_either_a_user_pointer_or_a_number()
    {
        var structs = IoctlCatalog.All.Select(e => e.Struct)
            .Concat(typeof(IommuTestPayload).GetFields().Select(f => f.FieldType))
            .Distinct();
        var unclassified = new List<string>();
        foreach (var type in structs)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public))
            {
                var fieldType = field.FieldType.IsEnum ? Enum.GetUnderlyingType(field.FieldType) : field.FieldType;
                if (fieldType == typeof(ulong) && !StructText.PointerFields.Contains(field.Name) && !NumericFields.Contains(field.Name))
                {
                    unclassified.Add($"{type.Name}.{field.Name}");
                }
            }
        }

        // A new address field must go into StructText.PointerFields (named per mapping), a number into the list above.
        Assert.Empty(unclassified);
    }

    [Fact]
    public void Addresses_inside_a_mapping_or_its_guard_page_are_named_by_mapping()
    {
        var names = new HostNames();
        names.AddMapping(0x7f00_0000_0000, 0x4000);
        names.AddMapping(0x7f00_0000_8000, 0x1000);

        Assert.Equal("map#1+0x0", names.Address(0x7f00_0000_0000));
        Assert.Equal("map#1+0x4FFF", names.Address(0x7f00_0000_4FFF));
        Assert.Equal("map#2+0x10", names.Address(0x7f00_0000_8010));
        Assert.Equal("NULL", names.Address(0));
        Assert.Equal("0xDEAD000000000000", names.Address(0xDEAD_0000_0000_0000));
    }

    [Fact]
    public void An_address_at_the_start_of_a_mapping_is_named_by_it_not_by_the_guard_page_of_the_one_below()
    {
        // A real kernel places a later mapping directly below an earlier one; its guard page is the earlier one's start.
        var names = new HostNames();
        names.AddMapping(0x7f00_0040_0000, 0x10000);
        names.AddMapping(0x7f00_0000_0000, 0x400000);

        Assert.Equal("map#1+0x0", names.Address(0x7f00_0040_0000));
        Assert.Equal("map#2+0x3FFFFF", names.Address(0x7f00_003F_FFFF));
        Assert.Equal("map#1+0x10FFF", names.Address(0x7f00_0041_0FFF));
    }

    [Fact]
    public void Fds_are_named_in_the_order_they_appear_and_renamed_after_close()
    {
        var names = new HostNames();

        Assert.Equal("fd#1", names.Fd(57));
        Assert.Equal("fd#2", names.Fd(3));
        Assert.Equal("fd#1", names.Fd(57));

        // A new file that gets the closed one's number is a new name, and no name is given twice.
        names.Closed(57);
        Assert.Equal("fd#3", names.Fd(57));
        Assert.Equal("fd#2", names.Fd(3));
        Assert.Equal("-9", names.Fd(-9));
    }

    [Fact]
    public void An_ioctl_is_recorded_with_its_fields_its_errno_and_what_it_changed()
    {
        using var host = new RecordingProcessHost(SimulatedProcessHost.Root());
        var fd = host.OpenIommufd();
        var memory = host.Mmap(0x4000);

        Assert.Equal(Errno.None, host.File(fd).IoasAlloc(IommuIoasAllocFlags.None, out var ioas));
        var iova = 0UL;
        Assert.Equal(Errno.None, host.File(fd).IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, ioas, memory, 0x2000, ref iova));
        Assert.Equal(Errno.ENOENT, host.File(fd).Destroy(new ObjectId(9)));

        Assert.Equal(
        [
            "open /dev/iommu = fd#1",
            "mmap 0x4000 ReadWrite None align 0x1000 = map#1",
            "ioctl fd#1 IOMMU_IOAS_ALLOC {size=0xC flags=0 out_ioas_id=0} = 0 -> {out_ioas_id=1}",
            $"ioctl fd#1 IOMMU_IOAS_MAP {{size=0x28 flags=6 ioas_id=1 reserved=0 user_va=map#1+0x0 length=0x2000 iova=0}} = 0 -> {{iova=0x{iova:X}}}",
            "ioctl fd#1 IOMMU_DESTROY {size=8 id=9} = -ENOENT",
        ], host.Steps);
    }
}
