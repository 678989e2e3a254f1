using AkkaGame.Bench.PeerCommon;
using AkkaGame.Bench.RawAsync;

return await PeerProgram.RunAsync(RawAsyncServer.PeerName, args, settings => new RawAsyncServer(settings));
