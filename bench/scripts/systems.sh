# What bench/run and bench/scripts/profile.sh share about the programs they start: the project
# of each, where its Release build lands, and building it (incremental: seconds when nothing
# changed, so nobody measures stale binaries). Sourced from the repository root.

program_project() { # program -> project folder
  case "$1" in
    node) echo src/Node ;;
    lighthouse) echo src/Lighthouse ;;
    bots) echo src/Bots ;;
    thread-per-client) echo bench/ThreadPerClient ;;
    raw-async) echo bench/RawAsync ;;
    orleans) echo bench/Orleans ;;
    *) return 1 ;;
  esac
}

program_dll() { # program -> path of its Release dll, relative to the repository root
  local assembly
  case "$1" in
    node) assembly=AkkaGame.Node ;;
    lighthouse) assembly=AkkaGame.Lighthouse ;;
    bots) assembly=AkkaGame.Bots ;;
    thread-per-client) assembly=AkkaGame.Bench.ThreadPerClient ;;
    raw-async) assembly=AkkaGame.Bench.RawAsync ;;
    orleans) assembly=AkkaGame.Bench.Orleans ;;
    *) return 1 ;;
  esac
  if [ -n "${BENCH_READY_TO_RUN:-}" ]; then
    echo "$(program_project "$1")/bin/Release/net10.0/linux-x64/r2r/$assembly.dll"
  else
    echo "$(program_project "$1")/bin/Release/net10.0/$assembly.dll"
  fi
}

# BENCH_READY_TO_RUN=1 (bench/run --ready-to-run): published ReadyToRun (ahead-of-time compiled,
# the JIT only re-optimizes hot code), as an image built with it would run; every system alike.
build_program() { # program logfile -> 0 when built
  if [ -n "${BENCH_READY_TO_RUN:-}" ]; then
    dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
      -o "$(dirname "$(program_dll "$1")")" "$(program_project "$1")" -v quiet -nologo >"$2" 2>&1
  else
    dotnet build -c Release "$(program_project "$1")" -v quiet -nologo >"$2" 2>&1
  fi
}
