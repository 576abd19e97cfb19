namespace IommuContracts.Analyzers.Typestate;

/// <summary>Integer constants of any width as a long, without overflow (a ulong past long.MaxValue is not one).</summary>
internal static class IntegerConstant
{
    public static long? Of(object? value) => value switch
    {
        sbyte v => v,
        byte v => v,
        short v => v,
        ushort v => v,
        int v => v,
        uint v => v,
        long v => v,
        ulong v when v <= long.MaxValue => (long)v,
        char v => v,
        _ => null,
    };

    /// <summary>Whether the constant is zero (null: not an integer constant, or an enum's underlying value Roslyn boxed as such).</summary>
    public static bool? IsZero(object? value) => value switch
    {
        ulong v => v == 0,
        _ => Of(value) is { } known ? known == 0 : null,
    };
}
