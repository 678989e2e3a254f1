using AkkaGame.Bench.PeerCommon;
using AkkaGame.Bench.ThreadPerClient;

return await PeerProgram.RunAsync(ThreadPerClientServer.PeerName, args, settings => new ThreadPerClientServer(settings));
