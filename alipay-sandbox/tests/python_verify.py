"""Verifies the sandbox's returns, notifies and OpenAPI answers with python-alipay-sdk (pip: python-alipay-sdk==3.4.0).

stdin: {"app_id", "app_private_key", "alipay_public_key", "callbacks": {name: params}, "responses": {name: [body, method_key]}}
stdout: {name: true|false}
"""
import json
import sys

from alipay import AliPay

req = json.load(sys.stdin)
ali = AliPay(
    appid=req["app_id"],
    app_private_key_string=req["app_private_key"],
    alipay_public_key_string=req["alipay_public_key"],
    sign_type="RSA2",
)
results = {}
for name, params in req.get("callbacks", {}).items():
    data = dict(params)
    sign = data.pop("sign")
    results[name] = bool(ali.verify(data, sign))
for name, (body, key) in req.get("responses", {}).items():
    try:
        ali._verify_and_return_sync_response(body, key)
        results[name] = True
    except Exception:  # noqa: BLE001 - any failure is a verification failure
        results[name] = False
print(json.dumps(results))
