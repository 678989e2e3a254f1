namespace AkkaGame.TestSupport;

/// <summary>Where the repository and the projects' own build outputs are, seen from a test run.</summary>
public static class Repository
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AkkaGame.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("run the tests from inside the repository");
        }
    }

    /// <summary>Debug or Release: the configuration this test assembly was built in.</summary>
    public static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    /// <summary>
    /// A published build of the programs, when <c>AKKAGAME_PUBLISHED_PROGRAMS</c> names one: a
    /// directory laid out as <c>.ci/publish</c> writes it (<c>node/</c>, <c>lighthouse/</c>: the
    /// Docker image's ReadyToRun Release build, which CI's tests run); otherwise null.
    /// </summary>
    public static string? PublishedPrograms =>
        Environment.GetEnvironmentVariable("AKKAGAME_PUBLISHED_PROGRAMS") is { Length: > 0 } dir ? Path.GetFullPath(dir) : null;

    /// <summary>Which build the program processes of a test run come from, for its reports.</summary>
    public static string Programs => PublishedPrograms is { } dir ? $"published ({dir})" : $"built ({Configuration})";

    /// <summary>
    /// The DLL a test starts for src/PROJECT: the published copy when <see cref="PublishedPrograms"/>
    /// publishes that project (a directory named after it, lower case), else <see cref="BuiltDll"/>.
    /// </summary>
    public static string ProgramDll(string project, string file)
    {
        if (PublishedPrograms is { } published && Directory.Exists(Path.Combine(published, project.ToLowerInvariant())))
        {
            var path = Path.Combine(published, project.ToLowerInvariant(), file);
            return File.Exists(path) ? path : throw new FileNotFoundException("AKKAGAME_PUBLISHED_PROGRAMS has no such program (run .ci/publish DIR)", path);
        }

        return BuiltDll(project, file);
    }

    /// <summary>A program's DLL as its own project built it (src/PROJECT/bin/CONFIGURATION/net10.0/FILE).</summary>
    public static string BuiltDll(string project, string file)
    {
        var path = Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new FileNotFoundException("build the solution first", path);
    }
}
