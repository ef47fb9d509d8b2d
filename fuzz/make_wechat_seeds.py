#!/usr/bin/env python3
"""Writes the seeds of the wechat_notify target (fuzz/seeds/wechat_notify/) with the test-only keys of
wechatpay/tests/fixtures: four header lines (timestamp, nonce, signature, serial) then a notification
body, signed and encrypted as WeChat Pay does. Needs the `cryptography` package. Run from anywhere."""
import base64
import json
import pathlib

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

HERE = pathlib.Path(__file__).resolve().parent
FIXTURES = HERE.parent / "wechatpay" / "tests" / "fixtures"
APIV3_KEY = b"0123456789abcdef0123456789ABCDEF"
SERIAL = "PUB_KEY_ID_0000000000000024101100397200000006"
KEY = serialization.load_pem_private_key((FIXTURES / "wechatpay_key.pem").read_bytes(), password=None)


def notify(event, original, resource):
    sealed = AESGCM(APIV3_KEY).encrypt(b"pKbMMsyVxAxo", json.dumps(resource).encode(), original.encode())
    return json.dumps({
        "id": "EV-2018022511223320873", "create_time": "2015-05-20T13:29:35+08:00", "resource_type": "encrypt-resource",
        "event_type": event, "summary": "ok", "resource": {"original_type": original, "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": base64.b64encode(sealed).decode(), "associated_data": original, "nonce": "pKbMMsyVxAxo"}})


def signed(body, ts="1554208460", nonce="5K8264ILTKCH16CQ2502SI8ZNMTM67VS"):
    sig = KEY.sign(f"{ts}\n{nonce}\n{body}\n".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{ts}\n{nonce}\n{base64.b64encode(sig).decode()}\n{SERIAL}\n{body}"


def write(name, text):
    d = HERE / "seeds" / "wechat_notify"
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_text(text)


transaction = {"appid": "wx1", "mchid": "1230000109", "out_trade_no": "C20240101_0001", "transaction_id": "42",
               "trade_type": "NATIVE", "trade_state": "SUCCESS", "success_time": "2024-01-01T10:00:00+08:00",
               "payer": {"openid": "o1"}, "amount": {"total": 9900, "payer_total": 9900, "currency": "CNY"}}
refund = {"mchid": "1230000109", "out_trade_no": "C20240101_0001", "transaction_id": "42", "out_refund_no": "R1",
          "refund_id": "50", "refund_status": "SUCCESS", "amount": {"total": 9900, "refund": 500}}
write("transaction_signed", signed(notify("TRANSACTION.SUCCESS", "transaction", transaction)))
write("refund_signed", signed(notify("REFUND.SUCCESS", "refund", refund)))
write("transaction_body", notify("TRANSACTION.SUCCESS", "transaction", transaction))
write("probe", f"1554208460\nN\nWECHATPAY/SIGNTEST/AAAA\n{SERIAL}\n{{}}")
write("authorization", 'WECHATPAY2-SHA256-RSA2048 mchid="1230000109",nonce_str="N",timestamp="1554208460",serial_no="0A1B",signature="c2ln"')
