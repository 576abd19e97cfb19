namespace IommuContracts.Replay;

/// <summary>
/// What the running kernel's configuration means for the comparison, read from /sys and /proc: whether THP is
/// configured (automatic IOVA alignment), its policy (compound pages hide pins from MD_CHECK_REFS) and whether huge
/// pages are reserved (the hugepage selftest variants need them).
/// </summary>
internal static class GuestFacts
{
    private const string ThpDirectory = "/sys/kernel/mm/transparent_hugepage";

    public static bool HasTransparentHugePages => Directory.Exists(ThpDirectory);

    public static IEnumerable<string> Describe()
    {
        if (!HasTransparentHugePages)
        {
            yield return "kernel: no CONFIG_TRANSPARENT_HUGEPAGE; the engine models the same (automatic IOVAs page aligned at most)";
        }
        else
        {
            var policy = Read(Path.Combine(ThpDirectory, "enabled"));
            yield return $"kernel: THP configured, policy {policy}";
            if (policy.Contains("[always]", StringComparison.Ordinal))
            {
                yield return "warning: THP policy 'always' backs anonymous memory with compound pages, which MD_CHECK_REFS skips; boot with transparent_hugepage=madvise";
            }
        }

        var hugePages = Read("/proc/sys/vm/nr_hugepages");
        yield return $"kernel: {(hugePages.Length == 0 ? "?" : hugePages)} huge pages reserved (the hugepage selftest variants are skipped without them)";
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return string.Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
