namespace AkkaGame.Node.Sectors;

/// <summary>The last 256 tick durations, for the p99 operators see.</summary>
internal sealed class TickTimes
{
    private readonly double[] _samples = new double[256];
    private int _count;

    public void Add(double ms) => _samples[_count++ % _samples.Length] = ms;

    public double P99()
    {
        var n = Math.Min(_count, _samples.Length);
        if (n == 0)
        {
            return 0;
        }

        var sorted = _samples.Take(n).Order().ToArray();
        return sorted[Math.Min(n - 1, (int)Math.Ceiling(n * 0.99) - 1)];
    }
}
