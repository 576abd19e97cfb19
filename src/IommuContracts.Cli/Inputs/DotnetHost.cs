namespace IommuContracts.Cli.Inputs;

/// <summary>Finds the dotnet executable to run MSBuild with: the one that launched us when known, else PATH.</summary>
internal static class DotnetHost
{
    public static string Path
    {
        get
        {
            // Set by the SDK for the processes it starts (dotnet tool, dotnet test).
            var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
            {
                return hostPath;
            }

            var processPath = Environment.ProcessPath;
            if (processPath is not null && System.IO.Path.GetFileNameWithoutExtension(processPath) == "dotnet")
            {
                return processPath;
            }

            return "dotnet";
        }
    }
}
