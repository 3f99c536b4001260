#!/usr/bin/env bash
# Regenerate everything that is generated from the model, after a change that is meant to
# change it (a mechanism, a default adopted from a calibration). What a change of the core
# that keeps every number (issue 14, tests/test_core.py) must not need.
#
#   experiments/regenerate.sh [--quick]
#
# In order, each from clean runs of the model in this tree:
#   1. tests/data/pinned_default_runs.json   the three pinned default runs (seconds)
#   2. tests/data/core_reference.json        every shipped scenario over 30 seeds, the core's
#                                            reference moved on purpose (about a minute)
#   3. docs/validation.md, docs/validation/  docking, patterns and levers, 20 seeds (about
#                                            10 minutes on 2 cores)
#   4. experiments/findings/optimize         the optimisation afresh (about 4 minutes)
#   5. experiments/findings/NAME             the five flagships (experiments/flagships.sh;
#                                            about 1.5 hours on 2 cores, resumable)
# --quick stops after 3. What stays by hand: the numbers the guides and README quote
# (tests/test_workshop_guide.py, tests/test_docs.py and the planner's guide tests say which
# no longer hold), ODD sections 8 and 11, tests/core_reference.py's docstring (which
# commit wrote the reference) and the commit message that says why the model moved. Any step that fails stops the script; rerun it after the fix (the flagships resume).
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
for arg in "$@"; do
    case "$arg" in
        --quick) quick=true ;;
        *) echo "regenerate.sh: unknown option $arg (allowed: --quick)" >&2; exit 2 ;;
    esac
done

uv run python tests/test_pinned.py
uv run python tests/core_reference.py tests/data/core_reference.json
uv run kommune validate
$quick && exit 0

rm -rf results/optimize  # afresh: --resume would keep trials of the model before
uv run kommune optimize experiments/optimize.toml --out results/optimize
mkdir -p experiments/findings/optimize
rm -f experiments/findings/optimize/*
for file in summary.md trials.csv front.png recommended.toml manifest.json; do
    cp "results/optimize/$file" experiments/findings/optimize/
done
echo "published experiments/findings/optimize"

for name in effort_competition governance sustainability effective_networks screening; do
    rm -rf "results/$name"  # afresh, as the optimisation
done
experiments/flagships.sh
