using System.Globalization;

namespace IommuContracts.Engine.Tests.Fuzz.Sequences;

/// <summary>
/// A value a sequence step puts into a struct field, resolved when the step runs on a host: a literal, "the k-th
/// ID of a kind produced so far", an address inside a mapping slot, or an IOVA a map returned. Symbolic operands
/// keep a sequence meaningful on any host and after steps are removed from it (they then resolve to what exists).
/// </summary>
public abstract record Operand
{
    /// <summary>The value on <paramref name="run"/>.</summary>
    public abstract ulong Resolve(SequenceRun run);

    /// <summary>A constant.</summary>
    public sealed record Literal(ulong Value) : Operand
    {
        /// <inheritdoc />
        public override ulong Resolve(SequenceRun run) => Value;

        /// <inheritdoc />
        public override string ToString() => Value < 10 ? Value.ToString(CultureInfo.InvariantCulture) : $"0x{Value:X}";
    }

    /// <summary>The <see cref="Ordinal"/>-th (modulo the count) value of <see cref="Kind"/> produced so far, or <see cref="Fallback"/>.</summary>
    public sealed record PoolRef(PoolKind Kind, int Ordinal, ulong Fallback = 0) : Operand
    {
        /// <inheritdoc />
        public override ulong Resolve(SequenceRun run) => run.Pick(Kind, Ordinal) ?? Fallback;

        /// <inheritdoc />
        public override string ToString() => $"{Kind}[{Ordinal}]";
    }

    /// <summary>The address <see cref="Offset"/> bytes into mapping slot <see cref="Slot"/> (a non-canonical address if never mapped).</summary>
    public sealed record Address(int Slot, ulong Offset) : Operand
    {
        /// <inheritdoc />
        public override ulong Resolve(SequenceRun run) => run.AddressOf(Slot, Offset);

        /// <inheritdoc />
        public override string ToString() => $"slot{Slot}+0x{Offset:X}";
    }

    /// <summary>The scratch area's address plus <see cref="Offset"/> (where arrays and driver data go).</summary>
    public sealed record Scratch(ulong Offset) : Operand
    {
        /// <inheritdoc />
        public override ulong Resolve(SequenceRun run) => run.ScratchAddress + Offset;

        /// <inheritdoc />
        public override string ToString() => $"scratch+0x{Offset:X}";
    }

    /// <summary>Part of the <see cref="Ordinal"/>-th mapped IOVA range produced so far (its start plus <see cref="Delta"/>, or its length).</summary>
    public sealed record IovaRef(int Ordinal, bool Length, ulong Delta, ulong Fallback) : Operand
    {
        /// <inheritdoc />
        public override ulong Resolve(SequenceRun run)
        {
            if (run.PickIova(Ordinal) is not { } range)
            {
                return Fallback;
            }

            return unchecked((Length ? range.Length : range.Iova) + Delta);
        }

        /// <inheritdoc />
        public override string ToString() => $"iova[{Ordinal}].{(Length ? "length" : "start")}{(Delta == 0 ? string.Empty : $"+0x{Delta:X}")}";
    }

    /// <summary>The user address behind the <see cref="Ordinal"/>-th mapped IOVA range (for MD_CHECK_MAP / ACCESS_PAGES), or <see cref="Fallback"/>.</summary>
    public sealed record IovaSource(int Ordinal, ulong Delta, ulong Fallback) : Operand
    {
        /// <inheritdoc />
        public override ulong Resolve(SequenceRun run)
            => run.PickIova(Ordinal) is { Slot: >= 0 } range ? run.AddressOf(range.Slot, range.SlotOffset + Delta) : Fallback;

        /// <inheritdoc />
        public override string ToString() => $"iova[{Ordinal}].source{(Delta == 0 ? string.Empty : $"+0x{Delta:X}")}";
    }
}
