using System.Text.Json;
using ContainerPS.Core.Security;

namespace ContainerPS.Core.Containers;

/// <summary>The members of spec.json that say what a container's processes may do: devices, capabilities, user.</summary>
internal static partial class StateFileJson
{
    private static void WriteDevices(Utf8JsonWriter w, DeviceSpec[] devices)
    {
        w.WriteStartArray("Devices");
        foreach (var device in devices)
        {
            w.WriteStartObject();
            w.WriteString("HostPath", device.HostPath);
            w.WriteString("ContainerPath", device.ContainerPath);
            w.WriteString("Type", ((char)device.Type).ToString());
            w.WriteNumber("Major", device.Major);
            w.WriteNumber("Minor", device.Minor);
            w.WriteString("Access", DeviceRule.AccessLetters(device.Access));
            w.WriteNumber("Permissions", device.Permissions);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static DeviceSpec[] ReadDevices(ref Utf8JsonReader reader)
    {
        var devices = new List<DeviceSpec>();
        Expect(ref reader, JsonTokenType.StartArray, alreadyThere: true);
        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            string? host = null, inside = null, type = null, access = null;
            uint major = 0, minor = 0, permissions = 0x1B6;
            while (NextProperty(ref reader) is { } property)
            {
                switch (property)
                {
                    case "HostPath": host = reader.GetString(); break;
                    case "ContainerPath": inside = reader.GetString(); break;
                    case "Type": type = reader.GetString(); break;
                    case "Major": major = reader.GetUInt32(); break;
                    case "Minor": minor = reader.GetUInt32(); break;
                    case "Access": access = reader.GetString(); break;
                    case "Permissions": permissions = reader.GetUInt32(); break;
                    default: reader.Skip(); break;
                }
            }
            devices.Add(new DeviceSpec
            {
                HostPath = host ?? throw Missing("HostPath"),
                ContainerPath = inside ?? throw Missing("ContainerPath"),
                Type = type is "b" ? DeviceType.Block : type is "c" ? DeviceType.Char : throw Missing("Type"),
                Major = major,
                Minor = minor,
                Access = DeviceRule.ParseAccess(access ?? "rwm") ?? throw Missing("Access"),
                Permissions = permissions,
            });
        }
        return devices.ToArray();
    }

    private static void WriteUser(Utf8JsonWriter w, ProcessUser? user)
    {
        if (user is null)
        {
            return;
        }
        w.WriteStartObject("User");
        w.WriteNumber("Uid", user.Uid);
        w.WriteNumber("Gid", user.Gid);
        w.WriteStartArray("Groups");
        foreach (var group in user.Groups)
        {
            w.WriteNumberValue(group);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static ProcessUser ReadUser(ref Utf8JsonReader reader)
    {
        uint? uid = null, gid = null;
        var groups = new List<uint>();
        while (NextProperty(ref reader) is { } property)
        {
            switch (property)
            {
                case "Uid": uid = reader.GetUInt32(); break;
                case "Gid": gid = reader.GetUInt32(); break;
                case "Groups":
                    while (Read(ref reader) != JsonTokenType.EndArray)
                    {
                        groups.Add(reader.GetUInt32());
                    }
                    break;
                default: reader.Skip(); break;
            }
        }
        return new ProcessUser(uid ?? throw Missing("Uid"), gid ?? throw Missing("Gid"), groups.ToArray());
    }
}
