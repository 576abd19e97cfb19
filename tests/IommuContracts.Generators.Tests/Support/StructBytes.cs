using System.Buffers.Binary;
using System.Reflection;
using System.Runtime.InteropServices;
using IommuContracts.Contracts;

namespace IommuContracts.Generators.Tests.Support;

/// <summary>Builds and pokes raw struct bytes the way user space would, independent of the generated code.</summary>
public static class StructBytes
{
    public static int FieldSize(Type type, string field)
    {
        var fieldType = type.GetField(field)!.FieldType;
        return fieldType.IsEnum ? Marshal.SizeOf(Enum.GetUnderlyingType(fieldType)) : Marshal.SizeOf(fieldType);
    }

    public static int Offset(Type type, string field) => (int)Marshal.OffsetOf(type, field);

    public static void Poke(byte[] bytes, int offset, int size, ulong value)
    {
        switch (size)
        {
            case 1: bytes[offset] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset), (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), (uint)value); break;
            case 8: BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), value); break;
            default: throw new ArgumentOutOfRangeException(nameof(size));
        }
    }

    public static ulong Peek(byte[] bytes, int offset, int size) => size switch
    {
        1 => bytes[offset],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset)),
        4 => BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)),
        8 => BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset)),
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };

    public static IEnumerable<FieldInfo> FieldsWith<TAttribute>(Type type, Func<TAttribute, bool>? filter = null)
        where TAttribute : Attribute
        => type.GetFields(BindingFlags.Instance | BindingFlags.Public)
            .Where(f => f.GetCustomAttribute<TAttribute>() is { } a && (filter is null || filter(a)));

    public static IEnumerable<FieldInfo> EnforcedReservedFields(Type type) => FieldsWith<ReservedAttribute>(type, a => a.Enforced);

    /// <summary>The bits a [CheckedFlags] field's enum does not declare.</summary>
    public static ulong UnknownFlagBits(FieldInfo field)
    {
        ulong mask = 0;
        foreach (var value in Enum.GetValues(field.FieldType))
        {
            mask |= Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        }

        var size = FieldSize(field.DeclaringType!, field.Name);
        var all = size == 8 ? ulong.MaxValue : (1UL << (size * 8)) - 1;
        return all & ~mask;
    }
}
