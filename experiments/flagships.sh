#!/usr/bin/env bash
# Run the five flagship experiments and publish their generated findings.
#
#   experiments/flagships.sh [NAME ...]      (default: all five; on 2 cores the governance
#                                             flagship (40 replications) takes about an
#                                             hour, the other three about 10 minutes, the
#                                             screening about 70 more)
#
# Each experiment is swept into results/NAME (resumable: rerun after an interruption),
# analysed with `kommune analyze`, and its analysis folder (findings.md, figures, tables)
# plus the sweep's manifest are copied to experiments/findings/NAME. Nothing in
# experiments/findings is written by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(effort_competition governance sustainability effective_networks screening)
for name in "${names[@]}"; do
    out="results/$name"
    if [ -f "$out/manifest.json" ]; then resume=--resume; else resume=; fi
    uv run kommune sweep "experiments/$name.toml" --out "$out" $resume
    uv run kommune analyze "$out" > /dev/null
    mkdir -p "experiments/findings/$name"
    rm -f "experiments/findings/$name"/*
    cp "$out"/analysis/* "experiments/findings/$name/"
    cp "$out/manifest.json" "experiments/findings/$name/manifest.json"
    echo "published experiments/findings/$name"
done
