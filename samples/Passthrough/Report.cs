using IommuContracts;

namespace Passthrough;

/// <summary>Prints each step of the tour with the errno it returned.</summary>
internal static class Report
{
    private static int s_step;

    public static Errno Step(string what, Errno result, string? detail = null)
    {
        var outcome = result == Errno.None ? "ok" : result.ToString();
        Console.WriteLine($"{++s_step,2}. {what,-58} -> {outcome}{(detail is null ? string.Empty : "   " + detail)}");
        return result;
    }

    public static void Note(string text) => Console.WriteLine($"    {text}");

    public static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine(title);
    }
}
