using AkkaGame.Bench.Orleans;
using AkkaGame.Bench.PeerCommon;

return await PeerProgram.RunAsync(OrleansPeerServer.PeerName, args, settings => new OrleansPeerServer(settings));
