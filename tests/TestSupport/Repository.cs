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

    /// <summary>A program's DLL as its own project built it (src/PROJECT/bin/CONFIGURATION/net10.0/FILE).</summary>
    public static string BuiltDll(string project, string file)
    {
        var path = Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new FileNotFoundException("build the solution first", path);
    }
}
