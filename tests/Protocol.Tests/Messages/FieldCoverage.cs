using System.Collections;
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Xunit;

namespace AkkaGame.Protocol.Tests.Messages;

/// <summary>
/// Asserts that a sample sets every field (recursively, and in every element of repeated fields),
/// so a field added to the schema without a sample value fails the round-trip tests.
/// </summary>
internal static class FieldCoverage
{
    public static void AssertEveryFieldSet(IMessage message, string path)
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var name = $"{path}.{field.Name}";
            if (field.ContainingOneof is { } oneof)
            {
                // Only the body that is set counts; its siblings are unset by definition.
                if (oneof.Accessor.GetCaseFieldDescriptor(message)?.FieldNumber != field.FieldNumber)
                {
                    continue;
                }
            }

            var value = field.Accessor.GetValue(message);
            if (field.IsRepeated)
            {
                var list = Assert.IsAssignableFrom<IList>(value);
                Assert.True(list.Count > 0, $"{name} is empty");
                foreach (var item in list)
                {
                    AssertValueSet(field, item, name);
                }
            }
            else
            {
                AssertValueSet(field, value, name);
            }
        }
    }

    private static void AssertValueSet(FieldDescriptor field, object? value, string name)
    {
        switch (field.FieldType)
        {
            case FieldType.Message:
                Assert.True(value is IMessage, $"{name} is not set");
                AssertEveryFieldSet((IMessage)value!, name);
                break;
            case FieldType.String:
                Assert.False(string.IsNullOrEmpty((string?)value), $"{name} is empty");
                break;
            case FieldType.Bool:
                Assert.True((bool)value!, $"{name} is false");
                break;
            case FieldType.Bytes:
                Assert.False(((ByteString)value!).IsEmpty, $"{name} is empty");
                break;
            default:
                // Numbers and enums: the proto3 default is zero.
                Assert.True(Convert.ToDouble(value, CultureInfo.InvariantCulture) != 0, $"{name} is zero");
                break;
        }
    }
}
