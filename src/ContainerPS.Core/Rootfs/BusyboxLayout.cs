namespace ContainerPS.Core.Rootfs;

/// <summary>
/// The busybox layout: one binary at /bin/busybox, and a link bin/&lt;applet&gt; -> busybox for each applet
/// a user expects. The links are made here from a fixed list rather than by running
/// <c>busybox --install</c>, so building a rootfs starts no process.
/// </summary>
internal static class BusyboxLayout
{
    public const string BinaryPath = "/bin/busybox";

    /// <summary>
    /// Applets users reach for in a container shell. Every one is in the applet list of Debian 12's
    /// busybox-static (`busybox --list`); pkill, pgrep, nice and nohup are not, so they are absent.
    /// </summary>
    public static readonly string[] Applets =
    [
        // shell and builtins that also exist as commands
        "sh", "ash", "[", "[[", "test", "true", "false", "echo", "printf", "sleep", "usleep", "env", "pwd", "time",
        // files
        "ls", "cat", "cp", "mv", "rm", "rmdir", "mkdir", "ln", "touch", "chmod", "chown", "chgrp", "stat", "readlink",
        "realpath", "basename", "dirname", "find", "xargs", "tee", "dd", "df", "du", "sync", "mknod", "mkfifo", "mktemp",
        "truncate",
        // text
        "head", "tail", "grep", "egrep", "fgrep", "sed", "awk", "sort", "uniq", "wc", "cut", "tr", "od", "hexdump", "xxd",
        "diff", "cmp", "less", "more", "vi", "strings", "tac", "rev", "nl", "paste", "fold",
        // archives and checksums
        "tar", "gzip", "gunzip", "zcat", "bzip2", "bunzip2", "bzcat", "xz", "unxz", "xzcat", "cpio", "unzip",
        "md5sum", "sha1sum", "sha256sum", "sha512sum", "base64",
        // processes
        "ps", "top", "kill", "killall", "pidof", "renice", "timeout", "setsid", "watch", "uptime", "free",
        // users and system
        "id", "whoami", "groups", "su", "uname", "hostname", "date", "dmesg", "mount", "umount", "sysctl", "nproc",
        "seq", "yes", "expr", "which", "clear", "reset", "tty", "stty", "logger", "chroot", "nsenter", "unshare",
        // network
        "ip", "ifconfig", "route", "netstat", "arp", "ping", "ping6", "traceroute", "nc", "telnet", "wget", "httpd",
        "nslookup", "udhcpc",
    ];

    public static void Install(string root, string hostBusybox, RootFsChanges changes)
    {
        foreach (var directory in new[] { "bin", "sbin", "usr", "usr/bin", "usr/sbin" })
        {
            changes.CreateDirectory(Path.Join(root, directory), FileModes.Directory);
        }
        changes.CopyFile(hostBusybox, root + BinaryPath);
        foreach (var applet in Applets)
        {
            changes.CreateSymlink(Path.Join(root, "bin", applet), "busybox");
        }
        // After /bin/sh, #!/usr/bin/env is the commonest first line of a script.
        changes.CreateSymlink(Path.Join(root, "usr/bin/env"), "../../bin/busybox");
    }
}
