#!/usr/bin/env python3
"""Checks coursepay through nginx (scripts/nginx-test.sh starts both). Standard library only.

Clients connect from two loopback addresses, 127.0.0.2 (a stranger) and 127.0.0.3 (the owner), so
nginx's X-Forwarded-For tells them apart while coursepay's TCP peer is nginx (127.0.0.1) for both.
"""
import argparse
import http.client
import json
import os
import ssl
import sys
import time
import urllib.parse

STRANGER, OWNER = "127.0.0.2", "127.0.0.3"


def fail(msg):
    print(f"nginx-check: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


class Client:
    def __init__(self, base, ca, source):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port
        self.ctx = ssl.create_default_context(cafile=ca)
        self.source = source

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPSConnection(
            self.host, self.port, context=self.ctx, timeout=30, source_address=(self.source, 0)
        )
        h = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            h.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.msg, data


def path_of(url):
    u = urllib.parse.urlsplit(url)
    return u.path + (("?" + u.query) if u.query else "")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True)
    ap.add_argument("--ca", required=True)
    ap.add_argument("--server-pid", type=int, required=True)
    ap.add_argument("--access-log", required=True)
    a = ap.parse_args()
    owner, stranger = Client(a.base, a.ca, OWNER), Client(a.base, a.ca, STRANGER)

    deadline = time.time() + 120
    while True:
        try:
            status, _, _, _ = owner.request("GET", "/course/list")
            if status == 200:
                break
        except OSError:
            pass
        try:
            os.kill(a.server_pid, 0)
        except OSError:
            fail("the server exited before answering")
        if time.time() > deadline:
            fail("no answer through nginx within 120 s")
        time.sleep(0.3)

    # 1. HSTS on an https page.
    status, h, _, _ = owner.request("GET", "/")
    if status != 200:
        fail(f"GET / answered {status}")
    if "max-age=" not in h.get("strict-transport-security", ""):
        fail(f"no HSTS header on /: {h}")
    print("nginx-check: HSTS present:", h["strict-transport-security"])

    # 2. The session cookie: __Host- prefix, Secure, HttpOnly, Path=/, no Domain.
    status, h, msg, data = owner.request(
        "POST", "/user/login", {"username": "student", "password": "coursepay123"}
    )
    if status != 200:
        fail(f"owner login answered {status}: {data[:200]!r}")
    cookie = "; ".join(msg.get_all("Set-Cookie") or [])
    for part in ("__Host-token=", "Secure", "HttpOnly", "Path=/"):
        if part not in cookie:
            fail(f"session cookie lacks {part}: {cookie}")
    if "domain=" in cookie.lower():
        fail(f"a __Host- cookie must not name a Domain: {cookie}")
    token = json.loads(data)["token"]
    print("nginx-check: cookie", cookie.split(";")[0][:14] + "...", "Secure HttpOnly Path=/")

    # 3. Throttling by the client address nginx saw. The stranger forges X-Forwarded-For with the
    #    owner's address; coursepay must take the address nginx appended.
    forged = {"X-Forwarded-For": OWNER}
    locked_after = None
    for i in range(1, 31):
        status, _, _, data = stranger.request(
            "POST", "/user/login", {"username": "student", "password": f"wrong-{i}"}, forged
        )
        if status == 429:
            locked_after = i
            break
        if status != 401:
            fail(f"wrong password answered {status}: {data[:200]!r}")
    if locked_after is None:
        fail("30 wrong passwords from one address were never throttled")
    status, _, _, _ = stranger.request(
        "POST", "/user/login", {"username": "student", "password": "coursepay123"}, forged
    )
    if status != 429:
        fail(f"the locked address logged in with the right password (answer {status})")
    status, _, _, data = owner.request(
        "POST", "/user/login", {"username": "student", "password": "coursepay123"}
    )
    if status != 200:
        fail(f"the owner was locked out by a stranger's guesses (answer {status}: {data[:200]!r})")
    print(f"nginx-check: stranger throttled after {locked_after} guesses; owner still logs in")

    # 4. A purchase: order, sandbox cashier, the signed return and the notify, all through nginx.
    auth = {"Authorization": f"jwt {token}"}
    status, _, _, data = owner.request(
        "POST", "/order/pay", {"subject": "x", "total_amount": "99.00", "goods_pks": "1"}, auth
    )
    if status != 200:
        fail(f"POST /order/pay answered {status}: {data[:300]!r}")
    pay_url = json.loads(data)
    if not pay_url.startswith(a.base + "/sandbox/gateway.do?"):
        fail(f"pay URL is not on the public https origin: {pay_url[:120]}")
    biz = urllib.parse.parse_qs(urllib.parse.urlsplit(pay_url).query)["biz_content"][0]
    out_trade_no = json.loads(biz)["out_trade_no"]
    status, h, _, data = owner.request("GET", path_of(pay_url))
    if status != 302:
        fail(f"gateway answered {status}: {data[:300]!r}")
    cashier = h["location"]
    status, h, _, data = owner.request(
        "POST",
        path_of(urllib.parse.urljoin(a.base + "/", cashier)) + "/pay",
        "account=sandbox_buyer%40alipaydev.com&password=111111",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 302:
        fail(f"cashier answered {status}: {data[:300]!r}")
    return_url = h["location"]
    if not return_url.startswith(a.base + "/pay/success?"):
        fail(f"return URL is not on the public https origin: {return_url[:120]}")
    status, _, _, data = owner.request("GET", path_of(return_url))
    if status != 200:
        fail(f"/pay/success answered {status}")
    query = urllib.parse.urlsplit(return_url).query
    status, _, _, data = owner.request("PATCH", "/order/success?" + query, None, auth)
    verdict = json.loads(data)
    if status != 200 or verdict.get("status") not in (0, 2):
        fail(f"the signed return was not accepted through nginx: {status} {verdict}")
    deadline = time.time() + 60
    while True:
        status, _, _, data = owner.request("GET", f"/order/status/{out_trade_no}", None, auth)
        order = json.loads(data)
        if status == 200 and order.get("order_status") == 1 and order.get("trade_no"):
            break
        if time.time() > deadline:
            fail(f"the order was never paid by the notify: {status} {order}")
        time.sleep(0.5)
    # The notify itself came through nginx (the sandbox posts to PUBLIC_BASE_URL/order/notify).
    deadline = time.time() + 60
    while True:
        with open(a.access_log, encoding="utf-8", errors="replace") as f:
            notifies = [l for l in f if '"POST /order/notify ' in l and '" 200 ' in l]
        if notifies:
            break
        if time.time() > deadline:
            fail("no notify reached coursepay through nginx within 60 s")
        time.sleep(0.5)
    print(f"nginx-check: {out_trade_no} paid; return and {len(notifies)} notify through nginx")


if __name__ == "__main__":
    main()
