using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Support.Recording;

/// <summary>
/// Prints a uapi struct from its bytes, field by field in declaration order (<c>flags=0x7 ioas_id=2 ...</c>), with
/// user pointers and fds named through <see cref="HostNames"/> so that two hosts print the same text. The union of
/// IOMMU_TEST_CMD is printed as the member its op uses.
/// </summary>
public static class StructText
{
    /// <summary>
    /// Fields that hold a user-space address: the recorder names them by mapping. Every u64 field of a uapi struct
    /// is either listed here or a plain number (IOVA, length, flags); the catalog test checks the list is complete.
    /// </summary>
    public static readonly IReadOnlySet<string> PointerFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "UserVa", "AllowedIovas", "DataUptr", "Uptr", "Data", "Vaddr", "TokenUuidPtr", "Addr", "BufferVa",
    };

    /// <summary>Fields that hold a file descriptor.</summary>
    public static readonly IReadOnlySet<string> FdFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "OutAccessFd", "IommuFd", "OutFaultFd", "OutVeventqFd", "Fd",
    };

    private static readonly Dictionary<IommuTestOp, string> s_payloadMembers = new()
    {
        [IommuTestOp.AddReserved] = nameof(IommuTestPayload.AddReserved),
        [IommuTestOp.MockDomain] = nameof(IommuTestPayload.MockDomain),
        [IommuTestOp.MdCheckMap] = nameof(IommuTestPayload.CheckMap),
        [IommuTestOp.MdCheckRefs] = nameof(IommuTestPayload.CheckRefs),
        [IommuTestOp.CreateAccess] = nameof(IommuTestPayload.CreateAccess),
        [IommuTestOp.DestroyAccessPages] = nameof(IommuTestPayload.DestroyAccessPages),
        [IommuTestOp.AccessPages] = nameof(IommuTestPayload.AccessPages),
        [IommuTestOp.AccessRw] = nameof(IommuTestPayload.AccessRw),
        [IommuTestOp.SetTempMemoryLimit] = nameof(IommuTestPayload.MemoryLimit),
        [IommuTestOp.MockDomainReplace] = nameof(IommuTestPayload.MockDomainReplace),
        [IommuTestOp.AccessReplaceIoas] = nameof(IommuTestPayload.AccessReplaceIoas),
        [IommuTestOp.MockDomainFlags] = nameof(IommuTestPayload.MockDomainFlags),
        [IommuTestOp.Dirty] = nameof(IommuTestPayload.Dirty),
        [IommuTestOp.MdCheckIotlb] = nameof(IommuTestPayload.CheckIotlb),
        [IommuTestOp.TriggerIopf] = nameof(IommuTestPayload.TriggerIopf),
        [IommuTestOp.DevCheckCache] = nameof(IommuTestPayload.CheckDevCache),
        [IommuTestOp.TriggerVevent] = nameof(IommuTestPayload.TriggerVevent),
        [IommuTestOp.PasidAttach] = nameof(IommuTestPayload.PasidAttach),
        [IommuTestOp.PasidReplace] = nameof(IommuTestPayload.PasidReplace),
        [IommuTestOp.PasidDetach] = nameof(IommuTestPayload.PasidDetach),
        [IommuTestOp.PasidCheckHwpt] = nameof(IommuTestPayload.PasidCheck),
    };

    // IOMMU_TEST_CMD ops whose id field is an access fd.
    private static readonly HashSet<IommuTestOp> s_fdIdOps =
        [IommuTestOp.AccessPages, IommuTestOp.AccessRw, IommuTestOp.DestroyAccessPages, IommuTestOp.AccessReplaceIoas];

    /// <summary>One printed field: its path (<c>access_pages.iova</c>) and value.</summary>
    public readonly record struct Field(string Path, string Value);

    /// <summary>The fields of <paramref name="type"/> read from <paramref name="bytes"/> (missing bytes read as zero).</summary>
    public static List<Field> Fields(Type type, ReadOnlySpan<byte> bytes, HostNames names)
    {
        var fields = new List<Field>();
        var padded = new byte[Math.Max(bytes.Length, Marshal.SizeOf(type))];
        bytes.CopyTo(padded);
        AddFields(type, padded, 0, string.Empty, names, fields, op: null);
        return fields;
    }

    /// <summary><c>a=1 b=0x2</c> for the fields.</summary>
    public static string Join(IEnumerable<Field> fields) => string.Join(' ', fields.Select(f => $"{f.Path}={f.Value}"));

    /// <summary>The op of an IOMMU_TEST_CMD (at offset 4), for naming its payload.</summary>
    public static IommuTestOp? TestOp(ReadOnlySpan<byte> bytes)
        => bytes.Length >= 8 ? (IommuTestOp)BitConverter.ToUInt32(bytes[4..8]) : null;

    private static void AddFields(Type type, byte[] bytes, int baseOffset, string prefix, HostNames names, List<Field> fields, IommuTestOp? op)
    {
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public))
        {
            var offset = baseOffset + (int)Marshal.OffsetOf(type, field.Name);
            var path = prefix + Snake(field.Name);
            var fieldType = field.FieldType;
            if (type == typeof(IommuTestCmd) && field.Name == nameof(IommuTestCmd.Op))
            {
                op = (IommuTestOp)BitConverter.ToUInt32(bytes, offset);
            }

            if (fieldType == typeof(IommuTestPayload))
            {
                if (op is { } testOp && s_payloadMembers.TryGetValue(testOp, out var member))
                {
                    var memberField = fieldType.GetField(member)!;
                    AddFields(memberField.FieldType, bytes, offset, Snake(member) + ".", names, fields, op);
                }
                else
                {
                    fields.Add(new(path, Convert.ToHexString(bytes, offset, Marshal.SizeOf(fieldType))));
                }

                continue;
            }

            if (IsIdLike(fieldType))
            {
                var id = BitConverter.ToUInt32(bytes, offset);
                var isFd = type == typeof(IommuTestCmd) && field.Name == nameof(IommuTestCmd.Id) && op is { } o && s_fdIdOps.Contains(o);
                fields.Add(new(path, isFd ? names.Fd((int)id) : id.ToString(CultureInfo.InvariantCulture)));
                continue;
            }

            if (fieldType.IsValueType && !fieldType.IsPrimitive && !fieldType.IsEnum)
            {
                AddFields(fieldType, bytes, offset, path + ".", names, fields, op);
                continue;
            }

            fields.Add(new(path, Value(field, fieldType, bytes, offset, names)));
        }
    }

    private static string Value(FieldInfo field, Type fieldType, byte[] bytes, int offset, HostNames names)
    {
        var underlying = fieldType.IsEnum ? Enum.GetUnderlyingType(fieldType) : fieldType;
        ulong raw = Type.GetTypeCode(underlying) switch
        {
            TypeCode.Byte => bytes[offset],
            TypeCode.UInt16 => BitConverter.ToUInt16(bytes, offset),
            TypeCode.Int16 => (ulong)BitConverter.ToInt16(bytes, offset),
            TypeCode.UInt32 => BitConverter.ToUInt32(bytes, offset),
            TypeCode.Int32 => (ulong)(long)BitConverter.ToInt32(bytes, offset),
            TypeCode.UInt64 => BitConverter.ToUInt64(bytes, offset),
            TypeCode.Int64 => (ulong)BitConverter.ToInt64(bytes, offset),
            _ => 0,
        };

        // An output fd not written yet is 0, not stdin.
        if (FdFields.Contains(field.Name))
        {
            return raw == 0 && field.Name.StartsWith("Out", StringComparison.Ordinal) ? "0" : names.Fd((int)raw);
        }

        if (PointerFields.Contains(field.Name))
        {
            return names.Address(raw);
        }

        // Plain enums (ops, option IDs, data types) by name when the value has one; flags and numbers in hex.
        if (fieldType.IsEnum && !fieldType.IsDefined(typeof(FlagsAttribute), false) && Enum.IsDefined(fieldType, Enum.ToObject(fieldType, raw)))
        {
            return Enum.ToObject(fieldType, raw).ToString()!;
        }

        return Number(raw);
    }

    /// <summary>A number as the records print it: decimal below 10, hex above.</summary>
    public static string Number(ulong value) => value < 10 ? value.ToString(CultureInfo.InvariantCulture) : $"0x{value:X}";

    /// <summary>
    /// The field path at each offset of <paramref name="type"/> (the payload member of <paramref name="op"/> for
    /// IOMMU_TEST_CMD), for describing a struct built by offset.
    /// </summary>
    public static IReadOnlyDictionary<int, string> FieldPaths(Type type, IommuTestOp? op)
    {
        var paths = new Dictionary<int, string>();
        AddPaths(type, 0, string.Empty, op, paths);
        return paths;
    }

    private static void AddPaths(Type type, int baseOffset, string prefix, IommuTestOp? op, Dictionary<int, string> paths)
    {
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public))
        {
            var offset = baseOffset + (int)Marshal.OffsetOf(type, field.Name);
            if (field.FieldType == typeof(IommuTestPayload))
            {
                if (op is { } testOp && s_payloadMembers.TryGetValue(testOp, out var member))
                {
                    AddPaths(field.FieldType.GetField(member)!.FieldType, offset, Snake(member) + ".", op, paths);
                }

                continue;
            }

            if (field.FieldType.IsValueType && !field.FieldType.IsPrimitive && !field.FieldType.IsEnum && !IsIdLike(field.FieldType))
            {
                AddPaths(field.FieldType, offset, prefix + Snake(field.Name) + ".", op, paths);
                continue;
            }

            paths.TryAdd(offset, prefix + Snake(field.Name));
        }
    }

    private static bool IsIdLike(Type type)
    {
        if (!type.IsValueType || type.IsPrimitive || type.IsEnum)
        {
            return false;
        }

        var instance = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
        return instance.Length == 1 && instance[0].FieldType == typeof(uint) && instance[0].Name is "Value" or "<Value>k__BackingField";
    }

    private static string Snake(string name)
    {
        var text = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
