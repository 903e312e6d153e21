#!/usr/bin/env python3
"""test-summary.py - one machine-readable line for the whole test run.

Reads meson's testlog.json. A test that speaks TAP (cmocka with
CMOCKA_MESSAGE_OUTPUT=TAP, the regression scripts) counts once per case;
any other test counts once. Prints the failing cases, then a final line
'N passed, N failed'. Exits 1 when anything failed.
"""
import json
import re
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "build/test/meson-logs/testlog.json"
passed = failed = skipped = 0
failures = []
with open(path, encoding="utf-8", errors="replace") as f:
    for line in f:
        line = line.strip()
        if not line:
            continue
        t = json.loads(line)
        name = t.get("name", "?")
        out = t.get("stdout") or ""
        result = t.get("result", "")
        cases = 0
        for m in re.finditer(r"^(not ok|ok)\b[^\n]*", out, re.M):
            text = m.group(0)
            if "# SKIP" in text or "# skip" in text:
                skipped += 1
            elif m.group(1) == "ok":
                passed += 1
            else:
                failed += 1
                failures.append(f"{name}: {text}")
            cases += 1
        if result not in ("OK", "EXPECTEDFAIL", "SKIP"):
            # A crash, a timeout or a non-zero exit beyond its cases.
            if cases == 0 or not any(f.startswith(name + ":") for f in failures):
                failed += 1
                failures.append(f"{name}: {result}")
        elif cases == 0:
            if result == "SKIP":
                skipped += 1
            else:
                passed += 1
for f in failures:
    print("FAILED", f)
tail = f", {skipped} skipped" if skipped else ""
print(f"{passed} passed, {failed} failed{tail}")
sys.exit(1 if failed else 0)
