namespace IommuContracts.Engine.IoPageTable;

/// <summary>check_add_overflow and friends for 64-bit IOVA arithmetic.</summary>
internal static class Overflow
{
    /// <summary>start + length - 1, or false if it wraps (length must be ≥ 1).</summary>
    public static bool TryLast(ulong start, ulong length, out ulong last)
    {
        last = 0;
        if (length == 0 || start > ulong.MaxValue - (length - 1))
        {
            return false;
        }

        last = start + (length - 1);
        return true;
    }

    public static bool TryAdd(ulong a, ulong b, out ulong sum)
    {
        sum = unchecked(a + b);
        return sum >= a;
    }

    public static ulong RoundUpPowerOfTwo(ulong value) => value <= 1 ? 1 : 1UL << (64 - System.Numerics.BitOperations.LeadingZeroCount(value - 1));

    public static ulong LowestSetBit(ulong value) => value & (~value + 1);
}
