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
            writer.Line("/// <summary>Wraps a raw ID that iommufd returned for this kind of object.</summary>");
            writer.Line("/// <param name=\"value\">The raw 32-bit ID; 0 gives the invalid <see cref=\"None\"/>.</param>");
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
            writer.Line("/// <summary>The same ID without its kind, for calls that take any object (IOMMU_DESTROY, IOMMU_OPTION).</summary>");
            writer.Line("/// <returns>An untyped ID with the same raw value.</returns>");
            writer.Line("public global::IommuContracts.ObjectId AsObjectId() => new(Value);");
            writer.Line();
            writer.Line("/// <summary>Reinterprets an untyped ID; the caller asserts it names this kind.</summary>");
            writer.Line("/// <param name=\"id\">The untyped ID.</param>");
            writer.Line("/// <returns>The same raw value as a " + name + ".</returns>");
            writer.Line("public static " + name + " FromObjectId(global::IommuContracts.ObjectId id) => new(id.Value);");
            writer.Line();
            writer.Line("/// <summary>Every " + name + " is also a valid untyped <see cref=\"global::IommuContracts.ObjectId\"/>.</summary>");
            writer.Line("/// <param name=\"id\">The typed ID.</param>");
            writer.Line("/// <returns>An untyped ID with the same raw value.</returns>");
            writer.Line("public static implicit operator global::IommuContracts.ObjectId(" + name + " id) => new(id.Value);");
            writer.Line();
            foreach (var kind in model.Kinds)
            {
                writer.Line("/// <summary>Every <see cref=\"" + kind + "\"/> is a valid " + name + ".</summary>");
                writer.Line("/// <param name=\"id\">The narrower ID.</param>");
                writer.Line("/// <returns>The same raw value as a " + name + ".</returns>");
                writer.Line("public static implicit operator " + name + "(" + kind + " id) => new(id.Value);");
                writer.Line();
            }

            writer.Line("/// <summary>True when both IDs have the same raw value.</summary>");
            writer.Line("/// <param name=\"left\">The first ID.</param>");
            writer.Line("/// <param name=\"right\">The second ID.</param>");
            writer.Line("/// <returns>Whether the raw values are equal.</returns>");
            writer.Line("public static bool operator ==(" + name + " left, " + name + " right) => left.Value == right.Value;");
            writer.Line();
            writer.Line("/// <summary>True when the IDs have different raw values.</summary>");
            writer.Line("/// <param name=\"left\">The first ID.</param>");
            writer.Line("/// <param name=\"right\">The second ID.</param>");
            writer.Line("/// <returns>Whether the raw values differ.</returns>");
            writer.Line("public static bool operator !=(" + name + " left, " + name + " right) => left.Value != right.Value;");
            writer.Line();
            writer.Line("/// <inheritdoc/>");
            writer.Line("public bool Equals(" + name + " other) => Value == other.Value;");
            writer.Line();
            writer.Line("/// <inheritdoc/>");
            writer.Line("public override bool Equals(object? obj) => obj is " + name + " other && Equals(other);");
            writer.Line();
            writer.Line("/// <inheritdoc/>");
            writer.Line("public override int GetHashCode() => (int)Value;");
            writer.Line();
            writer.Line("/// <summary>The kind and raw value, e.g. <c>" + name + "(3)</c>.</summary>");
            writer.Line("/// <returns>The ID for logs and messages.</returns>");
            writer.Line("public override string ToString() => \"" + name + "(\" + Value + \")\";");
        }

        return writer.ToString();
    }
}
