using System.Buffers;
using System.Globalization;
using System.Text.Json;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Core.Containers;

/// <summary>
/// spec.json and state.json, read and written with Utf8JsonReader/Writer by hand. The shim is a fresh NativeAOT
/// process per container and reads the spec first thing: JsonSerializer's first use there (options, converters,
/// type metadata, and the code pages behind them) cost 0.6 ms of every container start, the reader a few µs.
/// The files stay the JSON they were: property names as the records', enums by name, nulls left out.
/// </summary>
internal static partial class StateFileJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    private static readonly (NamespaceKind Kind, string Name)[] KindNames =
    [
        (NamespaceKind.Time, "Time"), (NamespaceKind.Mnt, "Mnt"), (NamespaceKind.Cgroup, "Cgroup"), (NamespaceKind.Uts, "Uts"),
        (NamespaceKind.Ipc, "Ipc"), (NamespaceKind.User, "User"), (NamespaceKind.Pid, "Pid"), (NamespaceKind.Net, "Net"),
    ];

    public static byte[] Write(ContainerSpec spec) => Write(w =>
    {
        w.WriteString("Id", spec.Id);
        w.WriteString("Name", spec.Name);
        w.WriteString("RootFs", spec.RootFs);
        WriteStrings(w, "Command", spec.Command);
        WriteStrings(w, "Environment", spec.Environment);
        w.WriteString("WorkingDirectory", spec.WorkingDirectory);
        if (spec.Hostname is not null)
        {
            w.WriteString("Hostname", spec.Hostname);
        }
        w.WriteString("Namespaces", KindsToString(spec.Namespaces));
        w.WriteStartArray("JoinNamespaces");
        foreach (var join in spec.JoinNamespaces)
        {
            w.WriteStartObject();
            w.WriteString("Kind", KindsToString(join.Kind));
            w.WriteString("Path", join.Path);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteMounts(w, "Mounts", spec.Mounts);
        WriteMounts(w, "EtcFiles", spec.EtcFiles);
        w.WriteBoolean("ReadOnlyRootFs", spec.ReadOnlyRootFs);
        w.WriteBoolean("Privileged", spec.Privileged);
        w.WriteString("CreatedAt", spec.CreatedAt);
        if (spec.SeccompProfile is not null)
        {
            w.WriteString("SeccompProfile", spec.SeccompProfile);
        }

        WriteDevices(w, spec.Devices);
        WriteStrings(w, "Capabilities", spec.Capabilities);
        WriteUser(w, spec.User);
        WriteIdMap(w, "UidMap", spec.UidMap);
        WriteIdMap(w, "GidMap", spec.GidMap);
        if (spec.Slirp4netns is { } published)
        {
            WriteStrings(w, "Slirp4netns", published);
        }
        if (spec.Image is not null)
        {
            w.WriteString("Image", spec.Image);
            w.WriteString("ImageName", spec.ImageName);
            WriteStrings(w, "ImageLayers", spec.ImageLayers);
        }
        if (spec.CgroupPath is not null)
        {
            w.WriteString("CgroupPath", spec.CgroupPath);
        }
        if (spec.Bundle is not null)
        {
            w.WriteString("Bundle", spec.Bundle);
        }
        if (spec.PreserveFds.Length > 0)
        {
            w.WriteStartArray("PreserveFds");
            foreach (var fd in spec.PreserveFds)
            {
                w.WriteNumberValue(fd);
            }
            w.WriteEndArray();
        }
    });

    public static byte[] Write(ContainerStateFile state) => Write(w =>
    {
        w.WriteNumber("Pid", state.Pid);
        w.WriteNumber("PidStartTime", state.PidStartTime);
        w.WriteNumber("ShimPid", state.ShimPid);
        w.WriteNumber("ShimStartTime", state.ShimStartTime);
        if (state.StartedAt is { } started)
        {
            w.WriteString("StartedAt", started);
        }
        if (state.FinishedAt is { } finished)
        {
            w.WriteString("FinishedAt", finished);
        }
        if (state.ExitCode is { } code)
        {
            w.WriteNumber("ExitCode", code);
        }
        if (state.ExitSignal is { } signal)
        {
            w.WriteNumber("ExitSignal", signal);
        }
        w.WriteBoolean("OomKilled", state.OomKilled);
    });

    public static ContainerSpec ReadSpec(byte[] json) => Checked(() => ParseSpec(json));

    public static ContainerStateFile ReadState(byte[] json) => Checked(() => ParseState(json));

    /// <summary>A member of the wrong type (a null where a string belongs) is a damaged file like any other.</summary>
    private static T Checked<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException or Interop.ContainerPSException)
        {
            throw new JsonException($"The file is damaged: {e.Message}", e);
        }
    }

    private static ContainerSpec ParseSpec(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        string? id = null, name = null, rootfs = null, hostname = null, workingDirectory = null, seccomp = null, image = null, imageName = null, cgroupPath = null, bundle = null;
        string[]? command = null, environment = null;
        NamespaceKind? namespaces = null;
        NamespaceJoin[] joins = [];
        MountSpec[] mounts = [], etcFiles = [];
        bool readOnly = false, privileged = false;
        DateTime created = default;
        DeviceSpec[] devices = [];
        string[]? capabilities = null, slirp = null;
        string[] imageLayers = [];
        Security.ProcessUser? user = null;
        int[] preserveFds = [];
        Security.IdMapping[] uidMap = [], gidMap = [];
        while (NextProperty(ref reader) is { } property)
        {
            switch (property)
            {
                case "Id": id = reader.GetString(); break;
                case "Name": name = reader.GetString(); break;
                case "RootFs": rootfs = reader.GetString(); break;
                case "Command": command = ReadStrings(ref reader); break;
                case "Environment": environment = ReadStrings(ref reader); break;
                case "WorkingDirectory": workingDirectory = reader.GetString(); break;
                case "Hostname": hostname = reader.GetString(); break;
                case "Namespaces": namespaces = KindsFromString(reader.GetString()!); break;
                case "JoinNamespaces": joins = ReadJoins(ref reader); break;
                case "Mounts": mounts = ReadMounts(ref reader); break;
                case "EtcFiles": etcFiles = ReadMounts(ref reader); break;
                case "ReadOnlyRootFs": readOnly = reader.GetBoolean(); break;
                case "Privileged": privileged = reader.GetBoolean(); break;
                case "CreatedAt": created = reader.GetDateTime(); break;
                case "SeccompProfile": seccomp = reader.GetString(); break;

                case "Devices": devices = ReadDevices(ref reader); break;
                case "Capabilities": capabilities = ReadStrings(ref reader); break;
                case "User": user = ReadUser(ref reader); break;
                case "PreserveFds": preserveFds = ReadNumbers(ref reader); break;
                case "Slirp4netns": slirp = ReadStrings(ref reader); break;
                case "UidMap": uidMap = ReadIdMap(ref reader); break;
                case "GidMap": gidMap = ReadIdMap(ref reader); break;
                case "Image": image = reader.GetString(); break;
                case "ImageName": imageName = reader.GetString(); break;
                case "ImageLayers": imageLayers = ReadStrings(ref reader); break;
                case "CgroupPath": cgroupPath = reader.GetString(); break;
                case "Bundle": bundle = reader.GetString(); break;
                default: reader.Skip(); break;
            }
        }
        var spec = new ContainerSpec
        {
            Id = id ?? throw Missing("Id"),
            Name = name ?? throw Missing("Name"),
            RootFs = rootfs ?? throw Missing("RootFs"),
            Command = command ?? throw Missing("Command"),
            Hostname = hostname,
            JoinNamespaces = joins,
            Mounts = mounts,
            EtcFiles = etcFiles,
            ReadOnlyRootFs = readOnly,
            Privileged = privileged,
            CreatedAt = created,
            SeccompProfile = seccomp,

            Devices = devices,
            User = user,
            PreserveFds = preserveFds,
            Slirp4netns = slirp,
            UidMap = uidMap,
            GidMap = gidMap,
            Image = image,
            ImageName = imageName,
            ImageLayers = imageLayers,
            CgroupPath = cgroupPath,
            Bundle = bundle,
        };
        // Absent members keep the record's defaults.
        spec = environment is null ? spec : spec with { Environment = environment };
        spec = workingDirectory is null ? spec : spec with { WorkingDirectory = workingDirectory };
        spec = capabilities is null ? spec : spec with { Capabilities = capabilities };
        return namespaces is null ? spec : spec with { Namespaces = namespaces.Value };
    }

    private static ContainerStateFile ParseState(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        var state = new ContainerStateFile();
        while (NextProperty(ref reader) is { } property)
        {
            state = property switch
            {
                "Pid" => state with { Pid = reader.GetInt32() },
                "PidStartTime" => state with { PidStartTime = reader.GetUInt64() },
                "ShimPid" => state with { ShimPid = reader.GetInt32() },
                "ShimStartTime" => state with { ShimStartTime = reader.GetUInt64() },
                "StartedAt" => state with { StartedAt = NullOr(ref reader, (ref Utf8JsonReader r) => r.GetDateTime()) },
                "FinishedAt" => state with { FinishedAt = NullOr(ref reader, (ref Utf8JsonReader r) => r.GetDateTime()) },
                "ExitCode" => state with { ExitCode = NullOr(ref reader, (ref Utf8JsonReader r) => r.GetInt32()) },
                "ExitSignal" => state with { ExitSignal = NullOr(ref reader, (ref Utf8JsonReader r) => r.GetInt32()) },
                "OomKilled" => state with { OomKilled = reader.GetBoolean() },
                _ => Skipped(ref reader, state),
            };
        }
        return state;
    }

    private delegate T ValueReader<T>(ref Utf8JsonReader reader);

    private static T? NullOr<T>(ref Utf8JsonReader reader, ValueReader<T> read) where T : struct =>
        reader.TokenType == JsonTokenType.Null ? null : read(ref reader);

    private static ContainerStateFile Skipped(ref Utf8JsonReader reader, ContainerStateFile state)
    {
        reader.Skip();
        return state;
    }

    private static byte[] Write(Action<Utf8JsonWriter> members)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, string[] values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }
        w.WriteEndArray();
    }

    private static void WriteMounts(Utf8JsonWriter w, string name, MountSpec[] mounts)
    {
        w.WriteStartArray(name);
        foreach (var mount in mounts)
        {
            w.WriteStartObject();
            w.WriteString("Source", mount.Source);
            w.WriteString("Destination", mount.Destination);
            w.WriteBoolean("ReadOnly", mount.ReadOnly);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>Moves to the next property's value and returns its name, or null at the object's end.</summary>
    private static string? NextProperty(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            return null;
        }
        var name = reader.GetString();
        Read(ref reader);
        return name;
    }

    private static string[] ReadStrings(ref Utf8JsonReader reader)
    {
        var values = new List<string>();
        Expect(ref reader, JsonTokenType.StartArray, alreadyThere: true);
        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            values.Add(reader.GetString()!);
        }
        return values.ToArray();
    }

    /// <summary>A map as its CONTAINER:HOST:COUNT lines; none is no member.</summary>
    private static void WriteIdMap(Utf8JsonWriter w, string name, Security.IdMapping[] map)
    {
        if (map.Length > 0)
        {
            WriteStrings(w, name, map.Select(m => m.ToString()).ToArray());
        }
    }

    private static Security.IdMapping[] ReadIdMap(ref Utf8JsonReader reader) =>
        ReadStrings(ref reader).Select(line => Security.IdMapping.Parse(line, "the record's map")).ToArray();

    private static int[] ReadNumbers(ref Utf8JsonReader reader)
    {
        var values = new List<int>();
        Expect(ref reader, JsonTokenType.StartArray, alreadyThere: true);
        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            values.Add(reader.GetInt32());
        }
        return values.ToArray();
    }

    private static MountSpec[] ReadMounts(ref Utf8JsonReader reader)
    {
        var mounts = new List<MountSpec>();
        Expect(ref reader, JsonTokenType.StartArray, alreadyThere: true);
        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            string? source = null, destination = null;
            var readOnly = false;
            while (NextProperty(ref reader) is { } property)
            {
                switch (property)
                {
                    case "Source": source = reader.GetString(); break;
                    case "Destination": destination = reader.GetString(); break;
                    case "ReadOnly": readOnly = reader.GetBoolean(); break;
                    default: reader.Skip(); break;
                }
            }
            mounts.Add(new MountSpec { Source = source ?? throw Missing("Source"), Destination = destination ?? throw Missing("Destination"), ReadOnly = readOnly });
        }
        return mounts.ToArray();
    }

    private static NamespaceJoin[] ReadJoins(ref Utf8JsonReader reader)
    {
        var joins = new List<NamespaceJoin>();
        Expect(ref reader, JsonTokenType.StartArray, alreadyThere: true);
        while (Read(ref reader) != JsonTokenType.EndArray)
        {
            NamespaceKind? kind = null;
            string? path = null;
            while (NextProperty(ref reader) is { } property)
            {
                switch (property)
                {
                    case "Kind": kind = KindsFromString(reader.GetString()!); break;
                    case "Path": path = reader.GetString(); break;
                    default: reader.Skip(); break;
                }
            }
            joins.Add(new NamespaceJoin { Kind = kind ?? throw Missing("Kind"), Path = path ?? throw Missing("Path") });
        }
        return joins.ToArray();
    }

    /// <summary>"Mnt, Pid, Net", as a [Flags] enum prints.</summary>
    private static string KindsToString(NamespaceKind kinds) =>
        string.Join(", ", KindNames.Where(k => kinds.HasFlag(k.Kind)).Select(k => k.Name));

    private static NamespaceKind KindsFromString(string text)
    {
        NamespaceKind kinds = 0;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var known = KindNames.FirstOrDefault(k => k.Name == part);
            kinds |= known.Name is null ? throw new JsonException($"'{part}' is not a namespace kind.") : known.Kind;
        }
        return kinds;
    }

    private static JsonTokenType Read(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw new JsonException("The file ends too soon.");

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, bool alreadyThere = false)
    {
        if ((alreadyThere ? reader.TokenType : Read(ref reader)) != type)
        {
            throw new JsonException($"Expected {type}, found {reader.TokenType} at byte {reader.TokenStartIndex.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    private static JsonException Missing(string name) => new($"The required member '{name}' is missing.");
}
