using IommuContracts.Fuzz;

// afl (default): the SharpFuzz out-of-process loop that afl-fuzz drives; each input is one IoctlProgram.
// replay PATH...: runs files (or every file of directories) once, without AFL; exit 1 on the first finding.
// seeds DIR: writes the seed corpus (SeedCorpus) into DIR.
// random COUNT SEED DIR: runs COUNT pseudo-random inputs without coverage feedback; a failing one is saved in DIR.
var mode = args.Length > 0 ? args[0] : "afl";
switch (mode)
{
    case "afl":
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            IoctlProgram.Run(buffer.ToArray());
        });
        return 0;
    case "replay":
        return Replay.Files(args.Skip(1));
    case "seeds" when args.Length == 2:
        SeedCorpus.Write(args[1]);
        return 0;
    case "random" when args.Length == 4:
        return Replay.Random(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), args[3]);
    default:
        Console.Error.WriteLine("usage: IommuContracts.Fuzz [afl | replay PATH... | seeds DIR | random COUNT SEED DIR]");
        return 2;
}
