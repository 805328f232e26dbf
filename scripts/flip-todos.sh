#!/usr/bin/env bash
# Developer aid: after a fix, turns the `todo-expect`/`todo-ok` annotations that the fixture
# harness reports as now passing into `expect`/`ok`. Usage: scripts/flip-todos.sh LOGFILE
# where LOGFILE holds the TAP output of `node --import tsx --test tests/fixtures.test.ts`.
set -euo pipefail
log="$1"
grep -E "^    not ok .* todo-(ok|expect) " "$log" \
  | sed -E 's/.* - ([A-Z0-9]+)\/([^ ]+) ([^ ]+):([0-9]+) todo-.*/\1 \2 \3 \4/' \
  | sort -u \
  | while read -r rule entry file line; do
      base="tests/fixtures/$rule/$entry"
      if [ -f "$base" ]; then path="$base"; else path="$base/$file"; fi
      python3 - "$path" "$line" <<'PY'
import sys
path, line = sys.argv[1], int(sys.argv[2])
lines = open(path).read().split("\n")
for i in range(line - 2, max(line - 8, -1), -1):
    if "todo-" in lines[i]:
        lines[i] = lines[i].replace("todo-expect:", "expect:").replace("todo-ok:", "ok:")
        break
open(path, "w").write("\n".join(lines))
PY
      echo "flipped $path:$line"
    done
