#!/usr/bin/env python3
"""genmonth.py - a synthetic month (March 2024) of a hospital's FortiGate
SSL-VPN log, written from the documented FortiOS event-log format.

usage: genmonth.py clean|attack OUT.log [ALLOW-FILE]

clean:  the vendor (fj-sato, 198.51.100.5) on weekdays in office hours,
        on-call doctors every day from the hospital's addresses, a few
        single typing mistakes. Nothing should be found.
attack: the same month with, planted:
        - brute force: 30 failures for 'admin' from 203.0.113.66 on
          2024-03-12 02:10 (one every 6 s);
        - password spray: 15 accounts, one failure each, from
          203.0.113.77 on 2024-03-18 04:00 (one every 80 s);
        - success after failures: dr-yamada fails 6 times then logs in
          from 192.0.2.50 on 2024-03-15 23:00;
        - a success from outside the allow-list: fj-sato from
          203.0.113.99 on 2024-03-22 03:00:12 +09:00;
        - a log gap: nothing from 2024-03-25 00:00 to 2024-03-27 12:00.
The allow-file written next to it lists the vendor (09:00-18:00 Mon-Fri)
and the hospital's own prefix.
"""
import random
import sys
from datetime import datetime, timedelta, timezone

JST = timezone(timedelta(hours=9))
DEV = 'devname="hp-fgt60e" devid="FGT60E0000000001"'


def line(t, logid, action, remip, user, level, extra, secs_style):
    ep = int(t.timestamp())
    et = ep if secs_style else ep * 1000000000 + 123456789
    return ('<190>date=%s time=%s %s logid="%s" type="event" subtype="vpn" '
            'level="%s" vd="root" eventtime=%d tz="+0900" logdesc="SSL VPN" '
            'action="%s" tunneltype="ssl-tunnel" remip=%s user="%s" %s\n' % (
                t.strftime('%Y-%m-%d'), t.strftime('%H:%M:%S'), DEV, logid,
                level, et, action, remip, user, extra))


def fail(t, ip, user, s):
    return line(t, '0101039426', 'ssl-login-fail', ip, user, 'alert',
                'group="N/A" reason="sslvpn_login_permission_denied" '
                'msg="SSL user failed to logged in"', s)


def up(t, ip, user, tid, s):
    return line(t, '0101039947', 'tunnel-up', ip, user, 'information',
                'tunnelid=%d group="staff" msg="SSL tunnel established"' % tid,
                s)


def down(t, ip, user, tid, s):
    return line(t, '0101039948', 'tunnel-down', ip, user, 'information',
                'tunnelid=%d group="staff" duration=3600 sentbyte=1 rcvdbyte=2 '
                'msg="SSL tunnel shutdown"' % tid, s)


def month(attack):
    rnd = random.Random(20240301)
    ev = []
    tid = 1000
    staff = [('dr-yamada', '192.0.2.50'), ('dr-kimura', '192.0.2.51'),
             ('ns-tanaka', '192.0.2.52')]
    for day in range(1, 32):
        d = datetime(2024, 3, day, tzinfo=JST)
        if attack and datetime(2024, 3, 25, tzinfo=JST) <= d < \
                datetime(2024, 3, 27, tzinfo=JST):
            gap = True
        else:
            gap = False
        # on-call doctors: a session in the morning, afternoon and evening
        for slot in (7, 13, 20):
            user, ip = rnd.choice(staff)
            start = d + timedelta(hours=slot, minutes=rnd.randint(0, 59))
            if attack and datetime(2024, 3, 25, tzinfo=JST) <= start < \
                    datetime(2024, 3, 27, 12, tzinfo=JST):
                continue
            if rnd.random() < 0.1:
                ev.append(fail(start - timedelta(seconds=20), ip, user, day % 2))
            tid += 1
            ev.append(up(start, ip, user, tid, day % 2))
            ev.append(down(start + timedelta(minutes=rnd.randint(5, 50)),
                           ip, user, tid, day % 2))
        # the vendor, weekdays 10:00-16:00
        if d.weekday() < 5 and not gap:
            start = d + timedelta(hours=rnd.randint(10, 14),
                                  minutes=rnd.randint(0, 59))
            tid += 1
            ev.append(up(start, '198.51.100.5', 'fj-sato', tid, 1))
            ev.append(down(start + timedelta(minutes=rnd.randint(20, 90)),
                           '198.51.100.5', 'fj-sato', tid, 1))
    if attack:
        t = datetime(2024, 3, 12, 2, 10, tzinfo=JST)
        for i in range(30):
            ev.append(fail(t + timedelta(seconds=6 * i), '203.0.113.66',
                           'admin', 1))
        t = datetime(2024, 3, 18, 4, 0, tzinfo=JST)
        for i in range(15):
            ev.append(fail(t + timedelta(seconds=80 * i), '203.0.113.77',
                           'user%02d' % i, 0))
        t = datetime(2024, 3, 15, 23, 0, tzinfo=JST)
        for i in range(6):
            ev.append(fail(t + timedelta(seconds=30 * i), '192.0.2.50',
                           'dr-yamada', 1))
        ev.append(up(t + timedelta(seconds=200), '192.0.2.50', 'dr-yamada',
                     9001, 1))
        ev.append(down(t + timedelta(seconds=900), '192.0.2.50', 'dr-yamada',
                       9001, 1))
        t = datetime(2024, 3, 22, 3, 0, 12, tzinfo=JST)
        ev.append(up(t, '203.0.113.99', 'fj-sato', 9002, 0))
        ev.append(down(t + timedelta(minutes=40), '203.0.113.99', 'fj-sato',
                       9002, 0))
    ev.sort(key=lambda s: s[s.index('date='):s.index(' devname')])
    return ev


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ('clean', 'attack'):
        sys.exit(__doc__)
    with open(sys.argv[2], 'w') as f:
        f.writelines(month(sys.argv[1] == 'attack'))
    if len(sys.argv) > 3:
        with open(sys.argv[3], 'w') as f:
            f.write('# maintenance vendor: weekdays, office hours\n'
                    '198.51.100.0/28 09:00-18:00 Mon-Fri # vendor FJ\n'
                    '# the hospital itself (on-call doctors), any time\n'
                    '192.0.2.0/24 # hospital\n')


if __name__ == '__main__':
    main()
