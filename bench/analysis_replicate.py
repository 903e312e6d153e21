#!/usr/bin/env python3
"""analysis_replicate.py DB CAMPAIGN COPIES - the bench's large campaign:
every organisation of CAMPAIGN's population, its membership, its response
and the response's revisions copied COPIES - 1 more times under new ids
(ID~2, ID~3, ...), in one transaction of INSERT ... SELECT per table, so a
demo campaign of 10,000 responses becomes one of 10,000 x COPIES with the
same distributions. Columns are read from the schema, so columns added
later are copied as they are. For bench/analysis only."""
import sqlite3
import sys

db, campaign, copies = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
con = sqlite3.connect(db, isolation_level=None)
con.execute("PRAGMA journal_mode = WAL")
con.execute("PRAGMA synchronous = OFF")
con.execute("PRAGMA cache_size = -262144")


def cols(table):
    return [r[1] for r in con.execute("PRAGMA table_info(%s)" % table)]


def copy(table, idcol, where):
    c = cols(table)
    sel = ", ".join("%s || '~' || k.n" % x if x == idcol else x for x in c)
    con.execute(
        "WITH RECURSIVE k(n) AS (SELECT 2 UNION ALL SELECT n + 1 FROM k"
        " WHERE n < ?) INSERT INTO %s (%s) SELECT %s FROM %s, k WHERE %s"
        % (table, ", ".join(c), sel, table, where), (copies,))


con.execute("BEGIN")
members = "(SELECT org_id FROM campaign_member WHERE campaign_id = %d)" % campaign
copy("organisation", "id", "id IN %s AND instr(id, '~') = 0" % members)
for t in ("campaign_member", "response", "response_revision"):
    copy(t, "org_id", "campaign_id = %d AND instr(org_id, '~') = 0" % campaign)
con.execute("COMMIT")
n = con.execute("SELECT count(*) FROM response WHERE campaign_id = ?"
                " AND submitted_revision IS NOT NULL", (campaign,)).fetchone()[0]
con.execute("PRAGMA journal_mode = DELETE")
con.execute("ANALYZE")
print("%d submitted responses in campaign %d" % (n, campaign))
