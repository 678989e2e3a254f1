namespace AkkaGame.Protocol.Client;

/// <summary>
/// Argument and state checks for both targets: the throw helpers the analyzers ask for on net10.0
/// do not exist on netstandard2.1.
/// </summary>
internal static class Guard
{
    public static void NotNull(object? value, string name)
    {
#if NET
        ArgumentNullException.ThrowIfNull(value, name);
#else
        if (value is null)
        {
            throw new ArgumentNullException(name);
        }
#endif
    }

    public static void NotDisposed(bool disposed, object instance)
    {
#if NET
        ObjectDisposedException.ThrowIf(disposed, instance);
#else
        if (disposed)
        {
            throw new ObjectDisposedException(instance.GetType().Name);
        }
#endif
    }
}
