namespace IommuContracts.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args)
        => CheckCommand.RunAsync(args, Console.Out, Console.Error, showProgress: !Console.IsErrorRedirected);
}
