namespace AkkaGame.Ops;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var cli = new OpsCli(Console.In, Console.Out, Console.Error, Environment.GetEnvironmentVariable, terminal: !Console.IsInputRedirected);
        Console.CancelKeyPress += (_, e) => e.Cancel = cli.Interrupt();
        return await cli.RunAsync(args);
    }
}
