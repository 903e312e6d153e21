#!/bin/sh
# apidoc.sh - docs/api.md stays true to the route table: every JSON route
# that "mamori serve --routes" lists is in the OpenAPI paths with its
# method, and in the Roles table with the roles the table gives it (✓
# exactly where a role may call it); nothing is documented that is not
# served.
. "$(dirname "$0")/../lib.sh"
"$MAMORI" serve --routes > "$TMP/routes"
check "the route table is printed" test -s "$TMP/routes"
python3 - "$TMP/routes" "$SRC/docs/api.md" > "$TMP/out" <<'PY'
import re, sys
routes = {}
for line in open(sys.argv[1]):
    f = line.split()
    if f and f[1].startswith('/api/v1/'):
        routes[(f[0], f[1])] = set(f[2:]) - {'csrf'}
doc = open(sys.argv[2], encoding='utf-8').read()
api = doc[doc.index('## OpenAPI 3'):]
api = api[:api.index('\n```\n', api.index('```yaml') + 1)]
paths, cur = set(), None
for line in api.splitlines():
    m = re.match(r'^  (/\S*):$', line)
    if m:
        cur = '/api/v1' + m.group(1)
        continue
    m = re.match(r'^    (get|put|post|delete|patch):', line)
    if m and cur:
        paths.add((m.group(1).upper(), cur))
# the Roles table: | `M1`, `M2 PATH`, `…/rest` | nobody | respondent | regulator | admin |
roles = {}
table = doc[doc.index('## Roles'):doc.index('## Responses')]
for line in table.splitlines():
    cells = [c.strip() for c in line.strip().strip('|').split('|')]
    if len(cells) != 5 or not cells[0].startswith('`'):
        continue
    methods, prev = [], None
    for tok in re.findall(r'`([^`]*)`', cells[0]):
        if tok.startswith('…'):
            rest = tok[1:]
            path = prev[:prev.index('/' + rest.split('/')[1])] + rest
        elif ' ' in tok:
            m, path = tok.split(' ', 1)
            methods.append(m)
        else:
            methods.append(tok)
            continue
        prev = path
        for m in methods:
            roles[(m, path)] = cells[1:]
for key, want in sorted(routes.items()):
    name = ' '.join(key)
    print('ok' if key in paths else 'not ok', '- OpenAPI documents', name)
    cols = roles.get(key)
    if cols is None:
        print('not ok - the Roles table lists', name)
        continue
    got = {r for r, c in zip(('nobody', 'respondent', 'regulator', 'admin'), cols)
           if c.startswith('✓')}
    # login is open to everyone; the table marks the nobody column too
    print('ok' if got == want else 'not ok', '- the Roles table gives', name,
          'to', ' '.join(sorted(want)) or 'nobody', '' if got == want
          else '(table: %s)' % ' '.join(sorted(got)))
for key in sorted(paths - set(routes)):
    print('not ok - documented but not served:', ' '.join(key))
print('ok - %d routes' % len(routes) if len(routes) >= 15 else 'not ok - too few routes read')
PY
while IFS= read -r line; do
	case $line in
	"ok - "*) _ok "${line#ok - }" ;;
	*) _notok "${line#not ok - }" "docs/api.md and src/web/routes.c differ" ;;
	esac
done < "$TMP/out"
finish
