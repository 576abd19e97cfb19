namespace IommuContracts.Cli.Inputs;

/// <summary>The directory that report paths are relative to: the enclosing git work tree, else the input's directory.</summary>
internal static class RepositoryRoot
{
    public static string Find(string inputDirectory)
    {
        for (var current = inputDirectory; current is not null; current = Path.GetDirectoryName(current))
        {
            // ".git" is a directory in a clone and a file in a worktree or submodule.
            var marker = Path.Combine(current, ".git");
            if (Directory.Exists(marker) || File.Exists(marker))
            {
                return current;
            }
        }

        return inputDirectory;
    }
}
