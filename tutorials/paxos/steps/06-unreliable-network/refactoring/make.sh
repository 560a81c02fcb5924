#!/bin/sh
# How step 6 is made from step 5 (run after `npm run build`; ~40 s, most of it verification):
#   sh tutorials/paxos/steps/06-unreliable-network/refactoring/make.sh [--plan]
# With --plan, the acceptor plan is made again (to review), else the committed, reviewed plan
# is applied. tutorials/paxos/test/steps/06-unreliable-network.test.ts checks that the
# committed files are what these commands produce.
set -e
cd "$(dirname "$0")/.."
ROOT=../../../..
mpst() { node "$ROOT/packages/cli/bin/mpst.js" "$@"; }
S5=../05-two-proposers
NAME=TwoProposers

# 1. The plan: acceptors may crash (proposers and learner stay reliable).
if [ "$1" = "--plan" ]; then
  mpst refactor "$S5/$NAME.scr" --unreliable A1,A2,A3 --plan refactoring/acceptors.plan.json \
    2>/dev/null
fi

# 2. Apply the reviewed plan: the protocol, its before/after pictures, the role code adapted.
cp "$S5/roles.ts" roles.ts
mpst refactor "$S5/$NAME.scr" --apply refactoring/acceptors.plan.json --code roles.ts --dry-run \
  2>/dev/null | awk '/^--- a\/roles.ts/ { on = 1 } on' > refactoring/roles.diff
mpst refactor "$S5/$NAME.scr" --apply refactoring/acceptors.plan.json -o "$NAME.scr" \
  --mmd refactoring --svg refactoring --code roles.ts 2> refactoring/acceptors.report.txt
rm roles.ts.bak
(cd "$ROOT" && npx prettier --write tutorials/paxos/steps/06-unreliable-network/roles.ts >/dev/null)

# 3. Then the links from the acceptors to the proposers may fail as well: the plan has no
#    decision (see README), and the verifier's verdict on all six links is written down.
mpst refactor "$NAME.scr" --unreliable A1,A2,A3 --unreliable-link 'A1->P1' \
  --unreliable-link 'A1->P2' --unreliable-link 'A2->P1' --unreliable-link 'A2->P2' \
  --unreliable-link 'A3->P1' --unreliable-link 'A3->P2' --plan refactoring/links.plan.json \
  2>/dev/null || true

# 4. The step's generated API and pictures (as for every step).
(cd "$ROOT" && node tools/generate-artifacts.mjs tutorials/paxos/steps/06-unreliable-network)
