namespace IommuContracts.Fuzz;

/// <summary>Runs saved inputs once, outside AFL: how a crash is reproduced and how CI checks the corpus.</summary>
public static class Replay
{
    /// <summary>Every file named, or inside a directory named, in name order; 0 if all ran clean, 1 on the first finding.</summary>
    public static int Files(IEnumerable<string> paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p).Order(StringComparer.Ordinal) : (IEnumerable<string>)[p]).ToList();
        foreach (var file in files)
        {
            try
            {
                IoctlProgram.Run(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"{file}: {e}");
                return 1;
            }
        }

        Console.WriteLine($"{files.Count} inputs ran clean");
        return 0;
    }

    /// <summary>Pseudo-random inputs without coverage feedback (a quick look for shallow bugs); the first failing input is saved.</summary>
    public static int Random(int count, int seed, string crashDirectory)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var bytes = new byte[random.Next(8, 2048)];
            random.NextBytes(bytes);
            try
            {
                IoctlProgram.Run(bytes);
            }
            catch (Exception e)
            {
                Directory.CreateDirectory(crashDirectory);
                var path = Path.Combine(crashDirectory, $"random-{seed}-{i}");
                File.WriteAllBytes(path, bytes);
                Console.Error.WriteLine($"{path}: {e}");
                return 1;
            }
        }

        Console.WriteLine($"{count} random inputs ran clean");
        return 0;
    }
}
