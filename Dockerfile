# Images for the game node (default target "node") and the seed node (target "lighthouse").
#   docker build -t akkagame-node .
#   docker build --target lighthouse -t akkagame-lighthouse .
# CI runs the same `dotnet publish` commands as the build stage (see .ci/publish), since the
# machines here have no Docker engine.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the package layer is cached until they change.
COPY global.json Directory.Build.props Directory.Packages.props AkkaGame.sln ./
COPY src/Protocol/Protocol.csproj src/Protocol/
COPY src/Operations.Protocol/Operations.Protocol.csproj src/Operations.Protocol/
COPY src/Operations/Operations.csproj src/Operations/
COPY src/Game/Game.csproj src/Game/
COPY src/CommandLine/CommandLine.csproj src/CommandLine/
COPY src/Node/Node.csproj src/Node/
COPY src/Lighthouse/Lighthouse.csproj src/Lighthouse/
# ReadyToRun (precompiled, for linux-x64): a process starts with most of its code compiled, so a
# restarted node joins and hosts its shards about a second sooner, and its first logins and
# storage operations wait less on the JIT (docs/failover.md). Built and tested for x64 only.
ARG RID=linux-x64
RUN dotnet restore -r ${RID:-linux-x64} -p:PublishReadyToRun=true src/Node/Node.csproj \
 && dotnet restore -r ${RID:-linux-x64} -p:PublishReadyToRun=true src/Lighthouse/Lighthouse.csproj
COPY hocon/ hocon/
# The play page and the JavaScript client the node serves to browsers (embedded at build).
COPY clients/js/ clients/js/
COPY src/ src/
RUN dotnet publish src/Node/Node.csproj -c Release -r ${RID:-linux-x64} --self-contained false -p:PublishReadyToRun=true --no-restore -o /out/node \
 && dotnet publish src/Lighthouse/Lighthouse.csproj -c Release -r ${RID:-linux-x64} --self-contained false -p:PublishReadyToRun=true --no-restore -o /out/lighthouse

# Runtime only: no SDK in the shipped images; the image's non-root "app" user runs the process.
# The ASP.NET Core runtime: both serve HTTP (metrics, health; the node also its dashboard).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS lighthouse
WORKDIR /app
COPY --from=build /out/lighthouse .
RUN mkdir /data && chown app /data
USER app
# The members it remembers (so a restarted lighthouse rejoins the running cluster) live in a volume.
# As the Lighthouse image: it listens on every interface and advertises CLUSTER_IP (set it to the
# name the nodes use in their seeds; unset, the container's host name).
# Metrics and health on every interface, so the orchestrator and Prometheus reach them.
ENV AKKAGAME_AKKA_BIND=0.0.0.0 CLUSTER_PORT=4053 AKKAGAME_DATA_DIR=/data AKKAGAME_HTTP_HOST=0.0.0.0 AKKAGAME_HTTP_PORT=8081
VOLUME /data
EXPOSE 4053 8081
# Ready once it is an Up member of the cluster (the image has no curl: the program asks itself).
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s CMD ["dotnet", "AkkaGame.Lighthouse.dll", "health"]
ENTRYPOINT ["dotnet", "AkkaGame.Lighthouse.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS node
WORKDIR /app
COPY --from=build /out/node .
RUN mkdir /data && chown app /data
USER app
# Data (SQLite, generated auth secret) lives in a volume the app user owns. The HTTP endpoint
# (dashboard, metrics, health) listens on every interface: off loopback the dashboard asks for
# the operator secret (AKKAGAME_OPS_SECRET), metrics and health stay open.
ENV AKKAGAME_GAME_HOST=0.0.0.0 AKKAGAME_DATA_DIR=/data AKKAGAME_HTTP_HOST=0.0.0.0 AKKAGAME_HTTP_PORT=8080
VOLUME /data
EXPOSE 7777 8080
# Ready: an Up member, its shard regions registered, its gateway accepting (not draining).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s CMD ["dotnet", "AkkaGame.Node.dll", "health"]
ENTRYPOINT ["dotnet", "AkkaGame.Node.dll"]
