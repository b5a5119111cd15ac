#!/usr/bin/env bash
# Runs the suite on the other Node versions users have: the whole suite on Node 22, and on
# Node 20 (where vitest 5 and msw 3 do not run) what the package offers without them.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
echo "== Node 22: the whole suite"
npm exec --yes --package=node@22.23.3 -- node node_modules/vitest/vitest.mjs run
echo "== Node 20: the server, the verdicts and the CLI, under node's own test runner"
npm exec --yes --package=node@20.20.2 -- node --test test/node20/
echo "== Node 20: Vitest 4 and msw 2 in a fresh project from the packed package (the consumer test)"
node20=$(npm exec --yes --package=node@20.20.2 -- node -p process.execPath)
"$node20" --version
KEEPALIVE_CONSUMER_NODE="$node20" node node_modules/vitest/vitest.mjs run test/consumer.test.ts -t 'Vitest 4'
