#!/bin/sh
# damaged.sh - a stored answer document that is not JSON stops the
# analysis with a message naming the organisation, on whichever of the
# worker threads it lands, every time and without hanging; the others
# are not left half counted into a result.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/d.db
m() { "$MAMORI" "$@" --db "$DB"; }

check "init" "$MAMORI" init --db "$DB"
check "a small demo" m demo generate --hospitals 200 --respondents 150 --no-others
check_grep "the analysis reads it" '"submitted": 150' m analysis 1 --json

# damage the 120th submission behind the store's back (the table is
# append-only: its trigger goes first)
ORG=$(python3 - "$DB" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
org = c.execute("SELECT org_id FROM response WHERE campaign_id = 1"
                " AND submitted_revision IS NOT NULL ORDER BY org_id"
                " LIMIT 1 OFFSET 119").fetchone()[0]
c.execute("DROP TRIGGER response_revision_no_update")
c.execute("UPDATE response_revision SET normalised = '{\"q5_ehr\": '"
          " WHERE campaign_id = 1 AND org_id = ? AND kind = 'submit'", (org,))
c.commit()
print(org)
PY
)
[ -n "$ORG" ] && _ok "damaged $ORG" || _notok "damaged nothing"
for i in 1 2 3 4 5; do
	check_exit 2 "run $i: refused" m analysis 1 --json
	check_grep "run $i: the message names $ORG" \
		"campaign 1, '$ORG': stored answers are not JSON" m analysis 1 --json
done
check_grep "drafts are read the same way" "stored answers are not JSON" \
	m analysis 1 --json --include-drafts
finish
