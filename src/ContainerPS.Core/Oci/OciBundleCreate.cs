using System.Security.Cryptography;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Oci;

/// <summary>
/// New-Container -Bundle: a container from an OCI bundle's config.json, made as New-Container makes any (a record in
/// the module's store under the given name, our shim holding it, its output in the log, its exit recorded), set up as
/// the config says (<see cref="OciSetup"/>) instead of from New-Container's parameters. Hooks other than the ones
/// that run at delete are refused: New-Container's own steps leave no place a createRuntime hook could run in order.
/// </summary>
public static class OciBundleCreate
{
    public static Container Run(ContainerStore store, string bundle, string? name, string runtimePath)
    {
        var config = OciConfigReader.Read(bundle);
        if (config.Process.Terminal)
        {
            throw OciConfigReader.Invalid("process.terminal is true: New-Container -Bundle runs its process on the shim's pipes (its output goes to Get-ContainerLog); set terminal to false, or run the bundle with containerps-runtime run");
        }
        var hooks = config.Hooks;
        if (hooks.Prestart.Length + hooks.CreateRuntime.Length + hooks.CreateContainer.Length + hooks.StartContainer.Length + hooks.Poststart.Length + hooks.Poststop.Length > 0)
        {
            throw OciConfigReader.Invalid("hooks are run by containerps-runtime (create, start, delete), not by New-Container -Bundle; remove them, or run the bundle with containerps-runtime run");
        }
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        name ??= id[..12];
        OciCreate.CheckId(name);
        return Rollback.Run(rollback =>
        {
            store.CreateDir(id);
            rollback.Add("state directory " + store.Dir(id), () => Directory.Delete(store.Dir(id), recursive: true));
            store.ReserveName(name, id);
            rollback.Add("name " + name, () => store.ReleaseName(name, id));
            var spec = OciContainer.Record(store, id, name, config);
            // The shim starts first, so its process start overlaps making the cgroup; it clones on "go".
            var shim = ShimLaunch.Start(store.Dir(id), runtimePath, name);
            rollback.Add("shim", shim.Abort);
            OciContainer.MakeCgroup(id, spec, config, rollback);
            shim.Go();
            shim.Dispose();
            return store.Load(id)!;
        });
    }
}
