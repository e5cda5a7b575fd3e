# Sourced by the scripts: `find_pith PROFILE` sets PITH to the pith binary
# to run — $PITH when the caller set it, else the one cargo builds for
# PROFILE (release or debug) in cargo's target directory, wherever
# CARGO_TARGET_DIR or the cargo config puts it — and stops the script with
# an error when there is none. `target_dir` prints that directory.

target_dir() {
  cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])'
}

find_pith() {
  local profile=${1:-release}
  if [ -z "${PITH:-}" ]; then
    if [ "$profile" = release ]; then
      cargo build --release --quiet --bin pith
    else
      cargo build --quiet --bin pith
    fi
    PITH="$(target_dir)/$profile/pith"
  fi
  if [ ! -x "$PITH" ]; then
    echo "$(basename "$0"): no pith binary at $PITH (build it with cargo, or set PITH=/path/to/pith)" >&2
    exit 1
  fi
  export PITH
}
