using IommuContracts.Generators.Model;

namespace IommuContracts.Generators.Emit;

/// <summary>
/// Emits the body of a typed object ID: one u32 (0 never valid), equality, conversions and formatting; an ID of
/// several kinds also converts implicitly from each of them.
/// </summary>
internal static class TypedIdEmitter
{
    public static string Emit(TypedIdModel model)
    {
        var name = model.Name;
        var writer = GeneratedFile.Start(model.Namespace);
        writer.Line(GeneratedFile.CodeAttribute);
        writer.Line("[global::System.Runtime.InteropServices.StructLayout(global::System.Runtime.InteropServices.LayoutKind.Sequential)]");
        using (writer.Block("partial struct " + name + " : global::System.IEquatable<" + name + ">, global::IommuContracts.IObjectId"))
        {
            writer.Line("/// <summary>The raw 32-bit ID as iommufd returns it; 0 means none.</summary>");
            writer.Line("public readonly uint Value;");
            writer.Line();
            writer.Line("public " + name + "(uint value) => Value = value;");
            writer.Line();
            writer.Line("/// <summary>The invalid ID 0.</summary>");
            writer.Line("public static " + name + " None => default;");
            writer.Line();
            writer.Line("/// <summary>False for 0, which iommufd never hands out.</summary>");
            writer.Line("public bool IsValid => Value != 0;");
            writer.Line();
            writer.Line("uint global::IommuContracts.IObjectId.RawValue => Value;");
            writer.Line();
            writer.Line("public global::IommuContracts.ObjectId AsObjectId() => new(Value);");
            writer.Line();
            writer.Line("/// <summary>Reinterprets an untyped ID; the caller asserts it names this kind.</summary>");
            writer.Line("public static " + name + " FromObjectId(global::IommuContracts.ObjectId id) => new(id.Value);");
            writer.Line();
            writer.Line("public static implicit operator global::IommuContracts.ObjectId(" + name + " id) => new(id.Value);");
            writer.Line();
            foreach (var kind in model.Kinds)
            {
                writer.Line("/// <summary>Every <see cref=\"" + kind + "\"/> is a valid " + name + ".</summary>");
                writer.Line("public static implicit operator " + name + "(" + kind + " id) => new(id.Value);");
                writer.Line();
            }

            writer.Line("public static bool operator ==(" + name + " left, " + name + " right) => left.Value == right.Value;");
            writer.Line();
            writer.Line("public static bool operator !=(" + name + " left, " + name + " right) => left.Value != right.Value;");
            writer.Line();
            writer.Line("public bool Equals(" + name + " other) => Value == other.Value;");
            writer.Line();
            writer.Line("public override bool Equals(object? obj) => obj is " + name + " other && Equals(other);");
            writer.Line();
            writer.Line("public override int GetHashCode() => (int)Value;");
            writer.Line();
            writer.Line("public override string ToString() => \"" + name + "(\" + Value + \")\";");
        }

        return writer.ToString();
    }
}
