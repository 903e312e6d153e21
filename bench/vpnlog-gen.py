#!/usr/bin/env python3
"""vpnlog-gen.py - synthetic VPN gateway logs for bench/vpnlog.

usage: vpnlog-gen.py fortigate|mixed OUT SIZE_MB

fortigate: FortiOS SSL-VPN event lines (tunnel-up/down, ssl-login-fail,
ssl-new-con) with a few traffic lines, times increasing, 3002 accounts
each using one or two of its own addresses, and 300 attacking addresses
trying any account (IPv4 and IPv6), both eventtime units.
mixed: the same amount of text, lines of all eight formats interleaved.
"""
import random
import sys
import time

START = 1709218800  # 2024-03-01T00:00:00+09:00


def ts(t):
    return time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(t + 9 * 3600))


def ip(rnd):
    if rnd.random() < 0.1:
        return '2001:db8:%x::%x' % (rnd.randrange(4096), rnd.randrange(65536))
    return '%d.%d.%d.%d' % (rnd.choice((198, 203, 192, 100)),
                            rnd.randrange(256), rnd.randrange(256),
                            rnd.randrange(1, 255))


def who(rnd, users, ips):
    """Staff from their own one or two addresses; now and then an
    attacker's address trying any account."""
    if rnd.random() < 0.9:
        i = rnd.randrange(len(users))
        return users[i], ips[(i * 2 + rnd.randrange(2)) % len(ips)]
    return rnd.choice(users), ips[len(ips) - 1 - rnd.randrange(300)]


def fortigate(rnd, t, users, ips):
    d, h = ts(t).split(' ')
    u, a = who(rnd, users, ips)
    r = rnd.random()
    et = t if r < 0.5 else t * 1000000000 + rnd.randrange(1000000000)
    head = ('<190>date=%s time=%s devname="hp-fgt60e" devid="FGT60E0000000001" '
            % (d, h))
    if r < 0.45:
        return head + ('logid="0101039426" type="event" subtype="vpn" level="alert" vd="root" '
                       'eventtime=%d tz="+0900" logdesc="SSL VPN login fail" action="ssl-login-fail" '
                       'tunneltype="ssl-web" tunnelid=0 remip=%s user="%s" group="N/A" '
                       'reason="sslvpn_login_permission_denied" msg="SSL user failed to logged in"\n'
                       % (et, a, u))
    if r < 0.65:
        return head + ('logid="0101039947" type="event" subtype="vpn" level="information" vd="root" '
                       'eventtime=%d tz="+0900" logdesc="SSL VPN tunnel up" action="tunnel-up" '
                       'tunneltype="ssl-tunnel" tunnelid=%d remip=%s tunnelip=10.212.134.200 '
                       'user="%s" group="staff" msg="SSL tunnel established"\n'
                       % (et, rnd.randrange(1, 99999), a, u))
    if r < 0.85:
        return head + ('logid="0101039948" type="event" subtype="vpn" level="information" vd="root" '
                       'eventtime=%d tz="+0900" logdesc="SSL VPN tunnel down" action="tunnel-down" '
                       'tunneltype="ssl-tunnel" tunnelid=%d remip=%s tunnelip=10.212.134.200 '
                       'user="%s" group="staff" duration=%d sentbyte=%d rcvdbyte=%d '
                       'msg="SSL tunnel shutdown"\n'
                       % (et, rnd.randrange(1, 99999), a, u, rnd.randrange(99999),
                          rnd.randrange(10**9), rnd.randrange(10**9)))
    if r < 0.95:
        return head + ('logid="0101039943" type="event" subtype="vpn" level="information" vd="root" '
                       'eventtime=%d tz="+0900" logdesc="SSL VPN new connection" action="ssl-new-con" '
                       'tunneltype="ssl" tunnelid=0 remip=%s user="N/A" group="N/A" '
                       'dst_host="N/A" reason="N/A" msg="SSL new connection"\n' % (et, a))
    return head + ('logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" '
                   'eventtime=%d srcip=10.0.%d.%d srcport=%d srcintf="internal" dstip=%s '
                   'dstport=443 dstintf="wan1" action="accept" policyid=1 service="HTTPS" '
                   'duration=%d sentbyte=%d rcvdbyte=%d\n'
                   % (et, rnd.randrange(256), rnd.randrange(256), rnd.randrange(1024, 65535),
                      a, rnd.randrange(999), rnd.randrange(10**6), rnd.randrange(10**6)))


def other(rnd, t, users, ips, k):
    u, a = who(rnd, users, ips)
    s = ts(t)
    mon = time.strftime('%b %d %Y %H:%M:%S', time.gmtime(t + 9 * 3600))
    if k == 0:
        return ('<166>%s asa01 : %%ASA-6-113039: Group <GP-Staff> User <%s> IP <%s> '
                'AnyConnect parent session started.\n' % (mon, u, a))
    if k == 1:
        return ('<134>%s pcs01 PulseSecure: %s - ive - [%s] %s(Users)[] - Login failed using '
                'auth server System Local (Local Authentication).  Reason: Failed\n'
                % (mon[:6] + mon[11:], s, a, u))
    if k == 2:
        return ('<14>%s pa-fw01 1,%s,012801000001,GLOBALPROTECT,0,2561,%s,vsys1,gateway-auth,'
                'login,LDAP,SSL,%s,JP,PC01,%s,,10.20.0.5,,7a1b2c3d,PC0001,6.2.1,Windows,'
                'Windows 10,1,,,"GlobalProtect gateway user authentication succeeded",success,'
                'gp-gw-01,0,user-logon,0,gp-portal,\n'
                % (mon[:6] + mon[11:], s.replace('-', '/'), s.replace('-', '/'), u, a))
    if k == 3:
        return ('<134>id=firewall sn=0017C5000001 time="%s" fw=192.0.2.1 pri=1 c=32 m=1110 '
                'msg="User login failed" src=%s:51234:X1 dst=192.0.2.1:4433:X1 usr="%s"\n'
                % (s, a, u))
    if k == 4:
        return ('<134> %s GMT ns01 0-PPE-0 : default SSLVPN LOGIN %d 0 : Context %s@%s - '
                'SessionId: %d - User %s - Client_ip %s - Nat_ip "Mapped Ip" - Vserver '
                '192.0.2.20:443 - Browser_type "Mozilla/5.0" - Group(s) "Staff"\n'
                % (time.strftime('%m/%d/%Y:%H:%M:%S', time.gmtime(t)), rnd.randrange(10**6),
                   u, a, rnd.randrange(10**5), u, a))
    if k == 5:
        return '%s %s:51234 [%s] Peer Connection Initiated with [AF_INET]%s:51234\n' % (s, a, u, a)
    return ('%s vpn02 charon: 09[IKE] IKE_SA rw[%d] established between '
            '192.0.2.1[vpn.example.jp]...%s[%s]\n' % (mon[:6] + mon[11:], rnd.randrange(999), a, u))


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ('fortigate', 'mixed'):
        sys.exit(__doc__)
    kind, out, size = sys.argv[1], sys.argv[2], int(sys.argv[3]) << 20
    rnd = random.Random(1)
    users = ['user%04d' % i for i in range(3000)] + ['admin', 'vendor-maint']
    ips = [ip(rnd) for _ in range(6304)]
    # a pool of lines, written again with new times until the size is met
    t = START
    written = 0
    with open(out, 'w') as f:
        while written < size:
            chunk = []
            for i in range(20000):
                t += rnd.randrange(0, 2)
                if kind == 'mixed' and i % 2:
                    chunk.append(other(rnd, t, users, ips, i // 2 % 7))
                else:
                    chunk.append(fortigate(rnd, t, users, ips))
            block = ''.join(chunk)
            f.write(block)
            written += len(block)


if __name__ == '__main__':
    main()
