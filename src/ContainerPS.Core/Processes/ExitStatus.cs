namespace ContainerPS.Core.Processes;

/// <summary>Decodes a wait status the way shells report it: a signal death is exit code 128+signal.</summary>
public static class ExitStatus
{
    public static (int Code, int? Signal) Decode(int status)
    {
        var signal = status & 0x7f;
        return signal == 0 ? ((status >> 8) & 0xff, null) : (128 + signal, signal);
    }
}
