"""Where the portal keeps its files: a local folder (the default) or S3-compatible object storage.

`STORAGE_BACKEND` chooses: `local` (UPLOAD_FOLDER on this machine's disk: one machine only) or
`s3` (a bucket on AWS, MinIO, Ceph, Garage..., shared by every web node and worker). Both keep
an object under the name `portal/uploads.py` generated, written whole or not at all, and give
it back as bytes, as a download (after the view checked access), or by listing for backup and
clean-up. An S3 download is either streamed through the web node or, with
`S3_DOWNLOADS=redirect`, a redirect to a signed URL valid for `S3_URL_SECONDS` (files shown
inline are always streamed).
"""

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError
from flask import Flask, current_app, redirect, send_file
from werkzeug.exceptions import NotFound, ServiceUnavailable

log = logging.getLogger(__name__)


class StorageUnavailable(ServiceUnavailable):
    """The object store did not answer: the page says the portal is briefly unavailable (503)."""


class LocalStorage:
    """Objects as files in one folder; a file is written beside its name and renamed into place.
    A missing object raises NotFound, a disk that fails StorageUnavailable, as on S3."""

    def __init__(self, folder: str):
        self.folder = Path(folder)

    def path(self, name: str) -> Path:
        return self.folder / name

    def save(self, name: str, data: bytes, content_type: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.path(name).with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(self.path(name))  # atomic: a crash never leaves a half-written file under the final name

    def read(self, name: str) -> bytes:
        try:
            return self.path(name).read_bytes()
        except FileNotFoundError as exc:
            raise NotFound() from exc
        except OSError as exc:
            log.error("Reading %s failed: %s", name, exc)
            raise StorageUnavailable() from exc

    def delete(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)

    def listing(self) -> Iterator[tuple[str, datetime]]:
        """Every object (and leftover `.part`) with its time of writing."""
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.is_file():
                    yield path.name, datetime.fromtimestamp(path.stat().st_mtime, UTC)

    def download(self, name: str, content_type: str, download_name: str, as_attachment: bool):
        path = self.path(name)
        if not path.is_file():
            raise NotFound()
        return send_file(path, mimetype=content_type, as_attachment=as_attachment, download_name=download_name,
                         max_age=0, conditional=True)

    def check(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        probe = self.folder / ".ready.part"
        probe.write_bytes(b"")
        probe.unlink()


class S3Storage:
    """Objects in a bucket, under an optional key prefix, through boto3."""

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None, region: str | None = None,
                 access_key: str | None = None, secret_key: str | None = None, downloads: str = "stream",
                 url_seconds: int = 60):
        if downloads not in ("stream", "redirect"):
            raise RuntimeError(f"S3_DOWNLOADS must be 'stream' or 'redirect', not {downloads!r}.")
        self.bucket, self.prefix, self.downloads, self.url_seconds = bucket, prefix, downloads, url_seconds
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url or None, region_name=region or None, aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None,
            config=BotoConfig(signature_version="s3v4", connect_timeout=5, read_timeout=30,
                              retries={"max_attempts": 3, "mode": "standard"}),
        )

    def key(self, name: str) -> str:
        return self.prefix + name

    def _call(self, operation: str, name: str | None = None, **params):
        try:
            return getattr(self.client, operation)(Bucket=self.bucket, **({"Key": self.key(name)} if name else {}), **params)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                raise NotFound() from exc
            log.error("S3 %s of %s failed: %s", operation, name, exc)
            raise StorageUnavailable() from exc
        except BotoCoreError as exc:
            log.error("S3 %s of %s failed: %s", operation, name, exc)
            raise StorageUnavailable() from exc

    def save(self, name: str, data: bytes, content_type: str) -> None:
        self._call("put_object", name, Body=data, ContentType=content_type)

    def read(self, name: str) -> bytes:
        return self._call("get_object", name)["Body"].read()

    def delete(self, name: str) -> None:
        self._call("delete_object", name)

    def listing(self) -> Iterator[tuple[str, datetime]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    yield item["Key"][len(self.prefix):], item["LastModified"]
        except (BotoCoreError, ClientError) as exc:
            raise StorageUnavailable() from exc

    def download(self, name: str, content_type: str, download_name: str, as_attachment: bool):
        # Only a download leaves the portal's origin: a file shown inline (an auditor's frame) is
        # streamed, since the pages' Content-Security-Policy frames the portal only.
        if self.downloads == "redirect" and as_attachment:
            disposition = f'{"attachment" if as_attachment else "inline"}; filename="{download_name}"'
            url = self.client.generate_presigned_url("get_object", ExpiresIn=self.url_seconds, Params={
                "Bucket": self.bucket, "Key": self.key(name), "ResponseContentType": content_type,
                "ResponseContentDisposition": disposition, "ResponseCacheControl": "private, no-store"})
            response = redirect(url, 303)
            response.headers["Cache-Control"] = "no-store"  # the signed URL is for this user, now
            response.headers["Referrer-Policy"] = "no-referrer"
            return response
        found = self._call("get_object", name)
        response = send_file(found["Body"], mimetype=content_type, as_attachment=as_attachment,
                             download_name=download_name, max_age=0, conditional=False, etag=False)
        response.content_length = found["ContentLength"]
        return response

    def check(self) -> None:
        self._call("head_bucket")


def make_storage(config) -> LocalStorage | S3Storage:
    backend = config["STORAGE_BACKEND"]
    if backend == "local":
        return LocalStorage(config["UPLOAD_FOLDER"])
    if backend == "s3":
        if not config["S3_BUCKET"]:
            raise RuntimeError("STORAGE_BACKEND=s3 needs S3_BUCKET (and S3_ENDPOINT_URL outside AWS).")
        return S3Storage(config["S3_BUCKET"], config["S3_PREFIX"], config["S3_ENDPOINT_URL"], config["S3_REGION"],
                         config["S3_ACCESS_KEY_ID"], config["S3_SECRET_ACCESS_KEY"], config["S3_DOWNLOADS"],
                         config["S3_URL_SECONDS"])
    raise RuntimeError(f"STORAGE_BACKEND must be 'local' or 's3', not {backend!r}.")


def init_app(app: Flask) -> None:
    app.extensions["storage"] = make_storage(app.config)


def storage() -> LocalStorage | S3Storage:
    """The app's storage backend."""
    return current_app.extensions["storage"]
