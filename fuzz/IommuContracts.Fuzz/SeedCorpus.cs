using System.Globalization;
using Op = IommuContracts.Fuzz.IoctlProgram.Op;

namespace IommuContracts.Fuzz;

/// <summary>
/// The committed seed corpus: programs recorded from scripts of operations that build real state (an IOAS with
/// mappings, mock and VFIO devices attached, accesses, dirty tracking, copies, teardown), their arguments
/// decided at random, kept when they run clean. Any byte string is a valid program; these give AFL a start
/// past "no such object".
/// </summary>
public static class SeedCorpus
{
    private static readonly Op[][] Scripts =
    [
        [Op.IoasAlloc, Op.Mmap, Op.IoasMap, Op.IoasMap, Op.IovaRanges, Op.IoasUnmap, Op.IoasMap, Op.Destroy],
        [Op.IoasAlloc, Op.IoasMap, Op.MockDomain, Op.IoasMap, Op.TestCheckOp, Op.IoasCopy, Op.IoasUnmap, Op.Destroy, Op.Close],
        [Op.IoasAlloc, Op.MockDomain, Op.HwptAlloc, Op.MockDomain, Op.IoasMap, Op.Dirty, Op.TestCheckOp, Op.Dirty, Op.Dirty],
        [Op.IoasAlloc, Op.IoasMap, Op.AccessOp, Op.AccessOp, Op.AccessOp, Op.AccessOp, Op.IoasUnmap, Op.Close],
        [Op.IoasAlloc, Op.VfioOp, Op.VfioOp, Op.VfioOp, Op.IoasMap, Op.VfioOp, Op.VfioOp, Op.Close, Op.Close],
        [Op.IoasAlloc, Op.VfioCompat, Op.VfioCompat, Op.VfioCompat, Op.VfioCompat, Op.IoasMap, Op.Option, Op.Option],
        [Op.IoasAlloc, Op.IoasAlloc, Op.AllowIovas, Op.IoasMap, Op.IoasCopy, Op.MockDomain, Op.MockDomain, Op.Invalidate, Op.HwptAlloc],
        [Op.OpenIommufd, Op.IoasAlloc, Op.Mmap, Op.IoasMap, Op.Munmap, Op.MockDomain, Op.WriteUser, Op.GetHwInfo, Op.Raw, Op.Raw],
    ];

    public static void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(20_261_207);
        var written = 0;
        for (var attempt = 0; written < 32 && attempt < 400; attempt++)
        {
            // Each script's operations three times over (a later round finds the objects of an earlier one).
            var script = Scripts[attempt % Scripts.Length];
            var reader = InputReader.Recording(random, Enumerable.Repeat(script, 3).SelectMany(s => s).Select(op => (int)op));
            try
            {
                IoctlProgram.Run(reader);
            }
            catch (FuzzFindingException)
            {
                continue;
            }

            var bytes = reader.Recorded;
            IoctlProgram.Run(bytes);
            File.WriteAllBytes(Path.Combine(directory, $"seed-{written:D2}-{bytes.Length.ToString(CultureInfo.InvariantCulture)}"), bytes);
            written++;
        }

        Console.WriteLine($"{written} seeds written to {directory}");
    }
}
