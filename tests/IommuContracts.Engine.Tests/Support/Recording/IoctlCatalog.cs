using System.Reflection;
using IommuContracts.Contracts;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Support.Recording;

/// <summary>
/// The uapi structs by ioctl number, read once from the declarations in IommuContracts: the name, the struct type
/// and whether the argument is a value or a pointer. What the recorder uses to decode an ioctl's argument.
/// </summary>
public static class IoctlCatalog
{
    private static readonly Dictionary<uint, Entry> s_entries = Load();

    /// <summary>One command: its kernel name, struct type and argument kind.</summary>
    public sealed record Entry(uint Command, string Name, Type Struct, bool IsValue, int NativeSize);

    /// <summary>Every known command.</summary>
    public static IReadOnlyCollection<Entry> All => s_entries.Values;

    /// <summary>The command <paramref name="command"/>, or null for a number no uapi struct declares.</summary>
    public static Entry? Find(uint command) => s_entries.GetValueOrDefault(command);

    /// <summary>The command's kernel name, or its number in hex.</summary>
    public static string NameOf(uint command) => Find(command)?.Name ?? $"0x{command:X}";

    private static Dictionary<uint, Entry> Load()
    {
        var entries = new Dictionary<uint, Entry>();
        foreach (var type in typeof(IommuIoasMap).Assembly.GetTypes())
        {
            if (type.GetCustomAttribute<IoctlCommandAttribute>() is not { } attribute
                || type.GetField("Command", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() is not uint command)
            {
                continue;
            }

            var size = type.GetField("NativeSize", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as int? ?? 0;
            entries[command] = new Entry(command, attribute.Name ?? type.Name, type, attribute.Argument == IoctlArgumentKind.Value, size);
        }

        return entries;
    }
}
