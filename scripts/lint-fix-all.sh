#!/usr/bin/env bash
# Fix-up when `npm run lint` fails (e.g. after merging branches): ESLint's automatic fixes, then
# Prettier over the repository's own code, then a report of what is left for a person to fix
# (per rule and package). Not part of CI. Afterwards: npm run typecheck && npm test, review, commit.
#
# Not touched: what @meshkit/domain-template renders (domains/, platform/ —
# managed files carry a sha256 in .meshkit/provenance.json; format the templates instead), generated
# code, vendored schemas and test fixtures (see .prettierignore and packages/eslint-config).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(packages generators scripts bench eslint.config.js)

echo "== eslint --fix"
npx eslint --fix "${targets[@]}" >/dev/null || true
echo "== prettier --write"
npx prettier --write --log-level=warn "**/*.{ts,mts,cts,js,mjs,cjs}"
echo "== eslint --fix again (fixes that Prettier's line moves made possible), and what is left to fix by hand"
npx eslint --fix "${targets[@]}" --format json | node scripts/lint-summary.mjs
