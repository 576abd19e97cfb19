using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support.Recording;

namespace IommuContracts.Engine.Tests.Fuzz.Sequences;

/// <summary>One step of a random sequence: pure data, run on any <see cref="SequenceRun"/>.</summary>
public abstract record SequenceStep
{
    /// <summary>Runs the step.</summary>
    public abstract void Run(SequenceRun run);
}

/// <summary>mmap <see cref="Pages"/> pages, 2 MiB aligned, into <see cref="Slot"/>, and fill them with a pattern (so no page is the zero page).</summary>
public sealed record MmapStep(int Slot, int Pages) : SequenceStep
{
    /// <inheritdoc />
    public override void Run(SequenceRun run) => run.Map(Slot, Pages);

    /// <inheritdoc />
    public override string ToString() => $"mmap slot{Slot} {Pages} pages";
}

/// <summary>munmap pages [<see cref="FirstPage"/>, +<see cref="Pages"/>) of <see cref="Slot"/>.</summary>
public sealed record MunmapStep(int Slot, int FirstPage, int Pages) : SequenceStep
{
    /// <inheritdoc />
    public override void Run(SequenceRun run) => run.Unmap(Slot, FirstPage, Pages);

    /// <inheritdoc />
    public override string ToString() => $"munmap slot{Slot} pages {FirstPage}..+{Pages}";
}

/// <summary>close the <see cref="Ordinal"/>-th access fd produced so far (nothing if there is none open).</summary>
public sealed record CloseAccessStep(int Ordinal) : SequenceStep
{
    /// <inheritdoc />
    public override void Run(SequenceRun run) => run.CloseAccess(Ordinal);

    /// <inheritdoc />
    public override string ToString() => $"close access[{Ordinal}]";
}

/// <summary>close /dev/iommu (destroying everything in it) and open it again.</summary>
public sealed record ReopenStep : SequenceStep
{
    /// <inheritdoc />
    public override void Run(SequenceRun run) => run.Reopen();

    /// <inheritdoc />
    public override string ToString() => "close and reopen /dev/iommu";
}

/// <summary>Where an ioctl's argument is.</summary>
public enum ArgumentPlacement
{
    /// <summary>A struct the process holds (copied in and back by the syscall).</summary>
    Struct,

    /// <summary>NULL.</summary>
    Null,

    /// <summary>The struct written so that it ends one byte into the guard page after the argument mapping.</summary>
    StraddlingGuard,

    /// <summary>A plain integer argument (VFIO container value ioctls); the first field's value.</summary>
    Value,
}

/// <summary>A field of an ioctl struct: <see cref="Width"/> bytes at <see cref="Offset"/>.</summary>
public sealed record FieldValue(int Offset, int Width, Operand Value)
{
    /// <inheritdoc />
    public override string ToString() => $"@{Offset}={Value}";
}

/// <summary>What a successful ioctl adds to a pool: the <see cref="Width"/>-byte value at <see cref="Offset"/> after the call.</summary>
public sealed record Product(PoolKind Kind, int Offset, int Width = 4);

/// <summary>A successful map's IOVA range: the IOVA at <see cref="IovaOffset"/> after the call, the length and source from the inputs.</summary>
public sealed record IovaProduct(int IovaOffset, int LengthOffset, int SourceOffset);

/// <summary>Memory to read back after the call (what the kernel wrote: IOVA ranges, hw_info data, a bitmap).</summary>
public sealed record ReadBack(Operand Address, int Length);

/// <summary>
/// An ioctl on the <see cref="Fd"/>-th /dev/iommu (0 is the one opened first): a zeroed struct of
/// <see cref="Size"/> bytes with <see cref="Fields"/> filled in, after <see cref="ScratchBytes"/> are written to the
/// scratch area. On success the <see cref="Products"/> are collected; <see cref="ReadBacks"/> are read either way.
/// </summary>
public sealed record IoctlStep(
    string Name,
    uint Command,
    int Size,
    IReadOnlyList<FieldValue> Fields,
    ArgumentPlacement Placement = ArgumentPlacement.Struct,
    IReadOnlyList<Product>? Products = null,
    IovaProduct? Iova = null,
    IReadOnlyList<ReadBack>? ReadBacks = null,
    byte[]? ScratchBytes = null,
    ulong ScratchOffset = 0,
    bool OnAccessFd = false) : SequenceStep
{
    /// <inheritdoc />
    public override void Run(SequenceRun run) => run.Ioctl(this);

    /// <summary>The struct's bytes on <paramref name="run"/>.</summary>
    public byte[] Build(SequenceRun run)
    {
        var bytes = new byte[Size];
        foreach (var field in Fields)
        {
            var value = field.Value.Resolve(run);
            if (field.Offset < 0 || field.Offset + field.Width > bytes.Length)
            {
                continue;
            }

            var target = bytes.AsSpan(field.Offset, field.Width);
            switch (field.Width)
            {
                case 2:
                    BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)value);
                    break;
                case 4:
                    BinaryPrimitives.WriteUInt32LittleEndian(target, (uint)value);
                    break;
                case 8:
                    BinaryPrimitives.WriteUInt64LittleEndian(target, value);
                    break;
                default:
                    target[0] = (byte)value;
                    break;
            }
        }

        return bytes;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder(Name);
        if (Placement != ArgumentPlacement.Struct)
        {
            text.Append(" [").Append(Placement).Append(']');
        }

        // Fields by name where the struct has one at that offset (op picks IOMMU_TEST_CMD's payload member).
        var entry = IoctlCatalog.Find(Command);
        var op = Fields.FirstOrDefault(f => f.Offset == 4 && f.Value is Operand.Literal)?.Value is Operand.Literal literal ? (IommuContracts.Uapi.IommuTestOp?)literal.Value : null;
        var paths = entry is null || Placement == ArgumentPlacement.Value ? null : StructText.FieldPaths(entry.Struct, entry.Struct == typeof(IommuContracts.Uapi.IommuTestCmd) ? op : null);
        text.Append(' ').Append(string.Join(' ', Fields.Select(f => paths is not null && paths.TryGetValue(f.Offset, out var path) ? $"{path}={f.Value}" : f.ToString())));
        if (ScratchBytes is { Length: > 0 })
        {
            text.Append(" scratch+0x").Append(ScratchOffset.ToString("X", CultureInfo.InvariantCulture)).Append('=').Append(Convert.ToHexString(ScratchBytes));
        }

        return text.ToString();
    }
}
