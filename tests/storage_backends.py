"""The two storages TĐKT runs on, for tests: the default directory (MEDIA_ROOT, `AtomicFileSystemStorage`) and
S3 through django-storages. The S3 server here is moto in server mode on loopback, started once per test
process: an emulator of S3's API (its behaviour, not AWS's performance or consistency under faults). Nothing
of ours is mocked: the product's own code talks to it through django-storages and boto3, as it would to AWS.

A test takes `storage_backend` (parametrized "filesystem" / "s3") and gets a fresh, empty storage for itself:
a new MEDIA_ROOT, or a new bucket with versioning on, so that every write leaves a version to count.
`Backend.env` configures a subprocess (a Celery worker) for the same storage through the environment, the way
a deployment does."""

import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from django.test import override_settings

REGION = "us-east-1"
KEY = "moto-test-key"  # moto accepts any credentials


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _moto_command(port: int) -> list[str]:
    script = Path(sys.executable).with_name("moto_server")
    program = [str(script)] if script.exists() else [sys.executable, "-m", "moto.server"]
    return [*program, "-H", "127.0.0.1", "-p", str(port)]


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory):
    """moto's S3 emulator on a free loopback port for this test process; its address."""
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    for _attempt in range(3):  # a free port may be taken between the probe and moto's bind
        port = _free_port()
        with open(log, "w") as out:
            process = subprocess.Popen(_moto_command(port), stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):  # noqa: S310 - loopback
                    break
            except OSError:
                time.sleep(0.1)
        if process.poll() is None and time.monotonic() < deadline:
            break
        process.kill()
        process.wait()
    else:
        raise AssertionError(f"moto_server did not start:\n{log.read_text(errors='replace')}")
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def s3_client(endpoint: str):
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name=REGION, aws_access_key_id=KEY, aws_secret_access_key=KEY
    )


@dataclass
class Backend:
    """One test's storage, and ways to look at it from outside the product's code."""

    name: str  # "filesystem" or "s3"
    env: dict[str, str]  # the environment that configures the same storage in a subprocess
    media: Path | None = None  # filesystem
    bucket: str = ""  # s3
    client: object = field(default=None, repr=False)  # s3: a boto3 client of its own

    def names(self, prefix: str = "") -> list[str]:
        """Every stored file's name under a prefix (temporary files left aside)."""
        if self.name == "filesystem":
            root = self.media / prefix if prefix else self.media
            found = (p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
            return sorted(p.relative_to(self.media).as_posix() for p in found)
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return sorted(entry["Key"] for page in pages for entry in page.get("Contents", ()))

    def temporary(self) -> list[str]:
        """Temporary files left behind (the filesystem's `.incoming-*`; S3 has none)."""
        if self.name == "filesystem":
            return sorted(str(p) for p in self.media.rglob(".*") if p.is_file())
        return []

    def writes(self, prefix: str = "") -> dict[str, object]:
        """For each stored file, what identifies its writes: inode and modification time on the file system
        (the storage links a new inode for every write), the list of object versions on S3."""
        if self.name == "filesystem":
            return {name: ((s := (self.media / name).stat()).st_ino, s.st_mtime_ns) for name in self.names(prefix)}
        versions: dict[str, list[str]] = {}
        pages = self.client.get_paginator("list_object_versions").paginate(Bucket=self.bucket, Prefix=prefix)
        for page in pages:
            for version in page.get("Versions", ()):
                versions.setdefault(version["Key"], []).append(version["VersionId"])
        return {name: sorted(ids) for name, ids in versions.items()}

    def read(self, name: str) -> bytes:
        if self.name == "filesystem":
            return (self.media / name).read_bytes()
        return self.client.get_object(Bucket=self.bucket, Key=name)["Body"].read()

    def content_type(self, name: str) -> str | None:
        """What the storage recorded as the file's type (S3 keeps one; a directory does not)."""
        if self.name == "filesystem":
            return None
        return self.client.head_object(Bucket=self.bucket, Key=name)["ContentType"]

    def lose(self, name: str) -> None:
        """A file gone missing behind the product's back (every version of it, on S3)."""
        if self.name == "filesystem":
            (self.media / name).unlink()
            return
        for version in self.client.list_object_versions(Bucket=self.bucket, Prefix=name).get("Versions", ()):
            self.client.delete_object(Bucket=self.bucket, Key=name, VersionId=version["VersionId"])


def s3_options(endpoint: str, bucket: str, *, key: str = KEY, secret: str = KEY) -> dict:
    """The options config/settings.py builds from the environment in `Backend.env` (checked by
    tests/test_storage_backends.py), in its order."""
    return {
        "bucket_name": bucket, "default_acl": None, "file_overwrite": False, "querystring_auth": True,
        "max_memory_size": 2 * 1024 * 1024, "endpoint_url": endpoint, "region_name": REGION, "access_key": key,
        "secret_key": secret,
    }  # fmt: skip


def _storages(default: dict) -> dict:
    return {**settings.STORAGES, "default": default}


@pytest.fixture(params=["filesystem", pytest.param("s3", marks=pytest.mark.slow)])
def storage_backend(request, tmp_path):
    """A fresh, empty default storage of each kind for this test (the S3 runs are marked slow)."""
    if request.param == "filesystem":
        media = tmp_path / "media"
        env = {"STORAGE_BACKEND": "filesystem", "MEDIA_ROOT": str(media)}
        default = {"BACKEND": "awards.uploads.AtomicFileSystemStorage"}
        with override_settings(MEDIA_ROOT=media, STORAGES=_storages(default)):
            yield Backend("filesystem", env=env, media=media)
        return
    endpoint = request.getfixturevalue("moto_server")
    client = s3_client(endpoint)
    bucket = f"tdkt-test-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    client.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    env = {
        "STORAGE_BACKEND": "s3", "AWS_STORAGE_BUCKET_NAME": bucket, "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION, "AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": KEY,
    }  # fmt: skip
    default = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options(endpoint, bucket)}
    # Not MEDIA_ROOT: nothing may land in a directory while S3 is the storage.
    with override_settings(STORAGES=_storages(default), MEDIA_ROOT=str(tmp_path / "not-used")):
        yield Backend("s3", env=env, bucket=bucket, client=client)
    assert not (tmp_path / "not-used").exists(), "a file was written to MEDIA_ROOT while S3 was the storage"
