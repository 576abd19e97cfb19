namespace IommuContracts.Cli.Inputs;

/// <summary>What the input path names.</summary>
internal enum InputKind
{
    Folder,
    Project,
    Solution,
}

internal static class InputKinds
{
    /// <summary>Classifies an existing path; throws a usage error for a missing path or an unsupported file.</summary>
    public static InputKind Classify(string fullPath)
    {
        if (Directory.Exists(fullPath))
        {
            return InputKind.Folder;
        }

        if (!File.Exists(fullPath))
        {
            throw new InputLoadException(ExitCodes.UsageError, $"path not found: '{fullPath}'");
        }

        return Path.GetExtension(fullPath).ToUpperInvariant() switch
        {
            ".CSPROJ" => InputKind.Project,
            ".SLN" or ".SLNX" => InputKind.Solution,
            _ => throw new InputLoadException(
                ExitCodes.UsageError,
                $"unsupported input '{fullPath}': give a .csproj, a .sln / .slnx, or a folder of .cs files"),
        };
    }
}
