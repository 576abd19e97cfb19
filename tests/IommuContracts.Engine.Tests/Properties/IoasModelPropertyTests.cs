using System.Text;
using CsCheck;
using IommuContracts.Engine.Tests.Support;

namespace IommuContracts.Engine.Tests.Properties;

/// <summary>
/// Model-based properties of the IOAS uAPI without domains (alignment 1): random operation lists run on
/// the engine and on <see cref="IoasReferenceModel"/>; every errno, IOVA and length must agree, and after
/// every step the IOVA_RANGES answer, the areas, the allowed ranges, the io_pagetable invariants and the
/// object reference counts must match. Cases are deterministic (fixed seed, one thread).
/// </summary>
public class IoasModelPropertyTests
{
    private const ulong Seed = 0x10_4A5_C0DE;

    internal static string Describe(IoasOp[] ops)
    {
        var text = new StringBuilder();
        for (var i = 0; i < ops.Length; i++)
        {
            text.Append("  ").Append(i).Append(": ").Append(Format(ops[i])).Append('\n');
        }

        return text.ToString();
    }

    [Fact]
    public void Map_unmap_copy_reserve_allow_agree_with_the_reference_model()
        => DeterministicProperty.Run(IoasOpGenerators.Operations, RunAgainstModel, cases: 2000, Seed, Describe);

    [Fact]
    public void Dense_small_maps_agree_with_the_reference_model()
    {
        // Many small maps and unmaps in one IOAS: exercises the interval tree's gap bookkeeping.
        var dense = Gen.Frequency(
            (10, IoasOpGenerators.MapAuto),
            (6, IoasOpGenerators.MapFixed),
            (8, IoasOpGenerators.Unmap),
            (3, IoasOpGenerators.Copy),
            (1, IoasOpGenerators.Reserve)).Array[60, 160];
        DeterministicProperty.Run(dense, RunAgainstModel, cases: 300, Seed + 1, Describe);
    }

    internal static void RunAgainstModel(IoasOp[] ops)
    {
        using var harness = new IoasPropertyHarness();
        harness.CheckState();
        foreach (var op in ops)
        {
            op.Run(harness);
            harness.CheckState();
        }

        harness.Close();
    }

    private static string Format(IoasOp op) => op switch
    {
        AllowOp allow => $"AllowOp {{ Slot = {allow.Slot}, Ranges = [{string.Join(", ", allow.Ranges.Select(r => $"({r.Start}, {IoasReferenceModel.Hex(r.Length)})"))}], Adjacent = {allow.Adjacent}, NullPointer = {allow.NullPointer} }}",
        MapOp map => $"MapOp {{ Slot = {map.Slot}, Flags = {map.Flags}, UserVa = {IoasReferenceModel.Hex(map.UserVa)}, Length = {IoasReferenceModel.Hex(map.Length)}, Iova = {map.Iova} }}",
        ReserveOp reserve => $"ReserveOp {{ Slot = {reserve.Slot}, Start = {reserve.Start}, Length = {IoasReferenceModel.Hex(reserve.Length)} }}",
        _ => op.ToString(),
    };
}
