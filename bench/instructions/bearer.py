#!/usr/bin/env python3
"""Prints an HS256 bearer token for the Auth section of a gateway config file (usage: token.py CONFIG.json), valid for a day,
so the bench route's authorization policy and the token check run on every measured request."""
import base64
import hashlib
import hmac
import json
import sys
import time


def part(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


auth = json.load(open(sys.argv[1]))["Auth"]
now = int(time.time())
claims = {"sub": "bench", "name": "bench", "iss": auth["Issuer"], "aud": auth["Audience"], "iat": now, "nbf": now, "exp": now + 86400}
signed = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + part(json.dumps(claims).encode())
signature = hmac.new(auth["SigningKey"].encode(), signed.encode(), hashlib.sha256).digest()
print(signed + "." + part(signature))
