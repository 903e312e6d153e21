#!/bin/sh
# lifecycle.sh - the campaign and response commands end to end: create,
# invite, save, submit, amend, stale revision, close, reopen, export,
# history, audit, backup, check, and the refusal of a newer database.
. "$(dirname "$0")/../lib.sh"
DB=$TMP/m.db
D=$SRC/tests/data/store
m() { "$MAMORI" "$@" --db "$DB"; }

check "init" "$MAMORI" init --db "$DB"
check_out "a new database has 8 KiB pages (a stored revision fits in one)" 8192 python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA page_size').fetchone()[0])" "$DB"
printf 'id,name,kind,prefecture,beds\nH001,A,hospital,13,120\nH002,B,hospital,27,30\nB001,C,bank,13,\n' > "$TMP/orgs.csv"
check "import" m org import "$TMP/orgs.csv"
export MAMORI_NOW=2022-02-01T10:00
cp "$D/tiny.yaml" "$TMP/instrument.yaml"
check_exit 2 "an instrument that does not load is refused" \
	m campaign create --instrument "$D/valid.json" --title x --opens 2022-01-27 \
	--closes 2022-02-14 --target "kind = 'hospital'"
check_out "create prints the id last" "2 organisations targeted, open; campaign 1" \
	m campaign create --instrument "$TMP/instrument.yaml" --title "2022" \
	--opens 2022-01-27 --closes 2022-02-14 --also-open 2022-03-08..2022-03-24 \
	--target "kind = 'hospital'"
# the campaign keeps its own copy: the file may change or go
echo "id: [broken" > "$TMP/instrument.yaml"
check "invite" m campaign invite 1 --out "$TMP/inv.csv"
check_grep "invitations: one code per organisation" '^H002,B,大阪府,[A-Z2-9]\{4\}-[A-Z2-9]\{4\}-[A-Z2-9]\{4\}-[A-Z2-9]\{4\}-[A-Z2-9]\{4\}' cat "$TMP/inv.csv"
check_out "invitation file is private" "-rw-------" sh -c "ls -l '$TMP/inv.csv' | cut -c1-10"

check_out "draft may be invalid" "saved: campaign 1, H001, revision 1" m response save 1 H001 "$D/invalid.json"
check_exit 1 "invalid submission refused" m response submit 1 H001 "$D/invalid.json"
check_out "submit" "submitted: campaign 1, H001, revision 2" m response submit 1 H001 "$D/valid.json" --base 1
check_out "stale revision refused" "mamori: the response of 'H001' in campaign 1 changed since you opened it: you started from revision 1, revision 2 was saved by cli:$(id -un) at 2022-02-01T10:00:00+09:00. Reload it and make your changes again." \
	env USER="$(id -un)" "$MAMORI" response save 1 H001 "$D/valid-no.json" --base 1 --db "$DB"
check_out "amend" "saved: campaign 1, H001, revision 3" m response save 1 H001 "$D/valid-no.json" --base 2
check_grep "amended draft: still submitted" "^# submitted; newest revision 3; submitted revision 2" m response history 1 H001
check_grep "status" "^population 2, invited 2, drafts 0, submitted 1 (50.0%)" m campaign status 1

export MAMORI_NOW=2022-02-20T00:00
check_out "between the windows" "mamori: the response of 'H001' was not submitted
mamori: campaign 1 closed at 2022-02-14T23:59:59+09:00; it opens again at 2022-03-08T00:00:00+09:00" \
	m response submit 1 H001 "$D/valid-no.json"
export MAMORI_NOW=2022-03-25T00:00
check_exit 1 "after the close: refused" m response submit 1 H001 "$D/valid-no.json"
check_out "reopen" "reopened: campaign 1, H001, revision 4" m response reopen 1 H001
check_out "submit after reopening" "submitted: campaign 1, H001, revision 5" m response submit 1 H001 "$D/valid-no.json"
check_out "extend" "campaign 1 now closes at 2022-03-31T23:59:59+09:00" m campaign extend 1 --closes 2022-03-31
check_out "close by the regulator" "campaign 1 is closed" m campaign close 1
check_out "follow the windows again" "campaign 1 is open" m campaign schedule 1

check_grep "every revision retrievable" '"q2": 3' m response show 1 H001 --revision 2
check_out "history" "5" sh -c "'$MAMORI' response history 1 H001 --db '$DB' | grep -c '^[0-9]'"
check_out "export csv" "organisation,prefecture,status,revision,saved_at,q1,q2,q3.edr,q3.siem,q3.waf
H001,13,submitted,5,2022-03-25T00:00:00+09:00,no,,,," \
	sh -c "'$MAMORI' response export 1 --format csv --db '$DB' | tr -d '\r'"
check_grep "export json" '"organisation":"H001"' m response export 1 --format json
check_grep "audit: who, from where" "cli:.*	local	response.reopen" m audit
check_grep "audit --since" "campaign.schedule" m audit --since 2022-03-25
check "backup" m db backup "$TMP/copy.db"
check_out "the backup checks" "$TMP/copy.db: ok" "$MAMORI" db check --db "$TMP/copy.db"
check_out "check" "$DB: ok" m db check

unset MAMORI_NOW
sqlite3 "$DB" "PRAGMA user_version = 9" 2>/dev/null || python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version = 9'); c.commit()" "$DB"
sum=$(cksum < "$DB")
check_out "newer database refused" "mamori: $DB: the database has schema version 9, written by a newer mamori (this one knows up to 4); it was not changed. Use a newer mamori." \
	m org list
check_exit 2 "newer database: init refuses too" m init
check_out "newer database unchanged" "$sum" sh -c "cksum < '$DB'"
finish
