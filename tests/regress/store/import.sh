#!/bin/sh
# import.sh - "mamori org import": UTF-8 with and without BOM, CP932,
# RFC 4180 quoting, and bad files (every bad row named, nothing stored).
. "$(dirname "$0")/../lib.sh"
DB=$TMP/m.db
m() { "$MAMORI" "$@" --db "$DB"; }

check "init" "$MAMORI" init --db "$DB"

printf 'id,name,kind,prefecture,beds,founder\nH001,Tsurugi hospital,hospital,36,120,municipal\n' > "$TMP/utf8.csv"
check_out "utf-8" "$TMP/utf8.csv: 1 organisations (utf-8): 1 created, 0 updated, 0 unchanged" \
	m org import "$TMP/utf8.csv"

printf '\357\273\277id,name,kind,prefecture\nH002,東京病院,hospital,東京都\n' > "$TMP/bom.csv"
check_out "utf-8 with BOM" "$TMP/bom.csv: 1 organisations (utf-8): 1 created, 0 updated, 0 unchanged" \
	m org import "$TMP/bom.csv"

printf 'id,name,kind,prefecture,病床数\nH003,徳島県つるぎ町立半田病院,hospital,徳島県,120\nH004,大阪の病院,hospital,大阪,80\n' |
	iconv -f UTF-8 -t CP932 > "$TMP/sjis.csv"
check_out "cp932 detected" "$TMP/sjis.csv: 2 organisations (cp932): 2 created, 0 updated, 0 unchanged" \
	m org import "$TMP/sjis.csv"
check_out "cp932 forced, unchanged" "$TMP/sjis.csv: 2 organisations (cp932): 0 created, 0 updated, 2 unchanged" \
	m org import "$TMP/sjis.csv" --encoding cp932
check_out "cp932 names stored as UTF-8" \
	"H004	hospital	27 大阪府	大阪の病院	{\"病床数\":80}" \
	m org list --prefecture 大阪

printf 'id,name,kind,prefecture,note\r\nB001,"Bank ""one"", Ltd.",bank,Osaka,"two\r\nlines"\r\n' > "$TMP/quoted.csv"
check "quoted fields" m org import "$TMP/quoted.csv"
check_out "quotes, commas, newlines kept" \
	'[{"id":"B001","name":"Bank \"one\", Ltd.","note":"two\r\nlines"}]' \
	sh -c "'$MAMORI' org list --kind bank --json --db '$DB' | python3 -c 'import json,sys; o=json.load(sys.stdin); print(json.dumps([{\"id\":x[\"id\"],\"name\":x[\"name\"],\"note\":x[\"attributes\"][\"note\"]} for x in o], ensure_ascii=False, separators=(\",\",\":\")))'"

printf 'id,name,prefecture\nH9,A,13\n' > "$TMP/nokind.csv"
check_out "missing column" "$TMP/nokind.csv: line 1: missing column 'kind'
mamori: $TMP/nokind.csv: nothing imported (1 problem)" \
	m org import "$TMP/nokind.csv"
check_exit 1 "missing column: exit 1" m org import "$TMP/nokind.csv"

printf 'id,name,kind,prefecture\nH10,A,hospital,13\nH11,B,hospital,Tokio\nH10,C,hospital,13\nH12,D,hospital,48\n' > "$TMP/bad.csv"
check_out "bad prefecture and duplicate id: every row" "$TMP/bad.csv: line 3: unknown prefecture 'Tokio'
$TMP/bad.csv: line 4: duplicate id 'H10' (first on line 2)
$TMP/bad.csv: line 5: unknown prefecture '48'
mamori: $TMP/bad.csv: nothing imported (3 problems)" \
	m org import "$TMP/bad.csv"
check_out "a bad file changed nothing" "" \
	sh -c "'$MAMORI' org list --db '$DB' | grep H10"

printf 'id,name,kind,prefecture,beds\nH001,Tsurugi hospital,hospital,36,150\n' > "$TMP/update.csv"
check_out "re-import updates" "$TMP/update.csv: 1 organisations (utf-8): 0 created, 1 updated, 0 unchanged" \
	m org import "$TMP/update.csv"
check_grep "the change is audited" 'org.update	H001	{"changes":{"attrs.beds":\[120,150\],"attrs.founder":\["municipal",null\]},"line":2}' \
	m audit
check_exit 2 "unknown encoding" m org import "$TMP/utf8.csv" --encoding latin1
finish
