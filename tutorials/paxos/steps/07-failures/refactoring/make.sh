#!/bin/sh
# How step 7's protocol and role code are made from step 6 (run after `npm run build`):
#   sh tutorials/paxos/steps/07-failures/refactoring/make.sh [--plan]
# A proposer may crash too: step 6's protocol refactored once more with P1 unreliable,
# and step 6's role code adapted by the tool. With --plan, the plan is made again (to review),
# else the committed, reviewed plan is applied. The step's test checks the committed files.
set -e
cd "$(dirname "$0")/.."
ROOT=../../../..
mpst() { node "$ROOT/packages/cli/bin/mpst.js" "$@"; }
S6=../06-unreliable-network
NAME=TwoProposers

# The plan is applied with the choice we changed in review (README); mpst exits 1 only when
# the result does not verify.
if [ "$1" = "--plan" ]; then
  mpst refactor "$S6/$NAME.scr" --unreliable A1,A2,A3,P1 \
    --plan refactoring/proposers.plan.json 2>/dev/null || true
fi
cp "$S6/roles.ts" roles.ts
mpst refactor "$S6/$NAME.scr" --apply refactoring/proposers.plan.json --code roles.ts --dry-run \
  2>/dev/null | awk '/^--- a\/roles.ts/ { on = 1 } on' > refactoring/roles.diff || true
mpst refactor "$S6/$NAME.scr" --apply refactoring/proposers.plan.json -o "$NAME.scr" \
  --mmd refactoring --svg refactoring --code roles.ts 2> refactoring/proposers.report.txt || true
rm -f roles.ts.bak
(cd "$ROOT" && npx prettier --write tutorials/paxos/steps/07-failures/roles.ts >/dev/null)
(cd "$ROOT" && node tools/generate-artifacts.mjs tutorials/paxos/steps/07-failures)
