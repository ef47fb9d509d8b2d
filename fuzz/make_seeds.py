#!/usr/bin/env python3
"""Writes the fuzz public key and the seed corpus (fuzz/seeds/<target>/).

A throwaway RSA-2048 key is generated with the openssl CLI, signs a notify body, a return query and
a gateway answer, then is dropped: only its public half is kept (fuzz_public_key.txt), so the seeds
carry genuine signatures and no private key is ever committed. Run from anywhere: python3 fuzz/make_seeds.py
"""
import base64
import os
import pathlib
import subprocess
import tempfile
import urllib.parse

HERE = pathlib.Path(__file__).resolve().parent


def openssl(*args, data=None):
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout


def write(target, name, data):
    d = HERE / "seeds" / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def main():
    with tempfile.TemporaryDirectory() as tmp:
        key = os.path.join(tmp, "k.pem")
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key)
        pub_pem = openssl("pkey", "-in", key, "-pubout").decode()

        def sign(msg):
            return base64.b64encode(openssl("dgst", "-sha256", "-sign", key, data=msg.encode())).decode()

        spki = "".join(l for l in pub_pem.splitlines() if "-----" not in l)
        (HERE / "fuzz_public_key.txt").write_text(spki + "\n")

        notify = {
            "notify_time": "2026-01-01 12:00:05", "notify_type": "trade_status_sync",
            "notify_id": "2026010100222120005000000001", "charset": "utf-8", "version": "1.0",
            "app_id": "9021000000000001", "seller_id": "2088721000000001",
            "out_trade_no": "CP20260101120000000001", "trade_no": "2026010122001400000000000001",
            "trade_status": "TRADE_SUCCESS", "total_amount": "99.00", "buyer_id": "2088102000000001",
            "gmt_payment": "2026-01-01 12:00:04", "subject": "Python 开发入门",
            "passback_params": urllib.parse.quote("uid=1"),
        }
        signing = "&".join(f"{k}={notify[k]}" for k in sorted(notify))
        signed = dict(notify, sign=sign(signing), sign_type="RSA2")
        body = urllib.parse.urlencode(signed)
        write("callback", "notify_signed", body)
        write("callback", "notify_refund", body.replace("TRADE_SUCCESS", "TRADE_CLOSED") + "&refund_fee=10.00&gmt_refund=2026-01-02%2010%3A00%3A00.123")
        ret = {k: notify[k] for k in ("app_id", "seller_id", "out_trade_no", "trade_no", "total_amount", "charset", "version")}
        ret.update(method="alipay.trade.page.pay.return", timestamp="2026-01-01 12:00:06")
        ret_signing = "&".join(f"{k}={ret[k]}" for k in sorted(ret))
        write("callback", "return_signed", urllib.parse.urlencode(dict(ret, sign=sign(ret_signing), sign_type="RSA2")))
        write("callback", "bad_escapes", "a=%zz&b=%E4%B8&sign=%%%&&=&c")

        raw = '{"code":"10000","msg":"Success","trade_status":"TRADE_SUCCESS","out_trade_no":"CP1","total_amount":"99.00","note":"a \\"}\\" b"}'
        write("response", "query_signed", '{"alipay_trade_query_response":%s,"sign":"%s"}' % (raw, sign(raw)))
        write("response", "error", '{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-signature"}}')
        write("response", "business_error", '{"alipay_trade_refund_response":{"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST"},"sign":"AAAA"}')

        write("keys", "public_pem", pub_pem)
        write("keys", "public_base64_line", spki)
        write("keys", "public_crlf_bom", "\ufeff" + pub_pem.replace("\n", "\r\n"))
        # Private key shapes, truncated: the loader's framing without committing a usable key.
        priv = openssl("pkey", "-in", key).decode().splitlines()
        write("keys", "pkcs8_truncated", "\n".join(priv[:4] + priv[-1:]) + "\n")
        write("keys", "pkcs1_header", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n")


if __name__ == "__main__":
    main()
