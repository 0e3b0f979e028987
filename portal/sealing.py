"""Secrets the portal must keep but never show: sealed with a key derived from SECRET_KEY.

A database dump, a backup archive or a staff page that lists rows does not give them away
(the outbox's links waiting to be sent, the second-factor seeds). Fernet (AES-128-CBC and
HMAC-SHA256, from `cryptography`) authenticates what it decrypts: an altered value is refused.
Each use has its own `context`, so a value sealed for one purpose does not open for another.
Changing SECRET_KEY makes sealed values unreadable: the second factor must then be enrolled
again (README, production section).
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def _fernet(context: str) -> Fernet:
    key = hashlib.sha256(f"portal-seal:{context}:".encode() + current_app.config["SECRET_KEY"].encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(context: str, text: str) -> str:
    return _fernet(context).encrypt(text.encode()).decode()


def unseal(context: str, sealed: str) -> str | None:
    """The text, or None when it was altered, sealed for another context or with another key."""
    try:
        return _fernet(context).decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None
