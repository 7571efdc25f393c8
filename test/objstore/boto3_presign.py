#!/usr/bin/python3
"""Prints boto3's pre-signed GET URL for each key read from stdin (one per line, UTF-8),
at a fixed signing time, as an independent reference for our SigV4 signer.

  boto3_presign.py --bucket B --region R --access-key A --secret-key S [--token T]
                   [--endpoint URL] [--addressing path|virtual] --expires N --time EPOCH

Exit 0; 3 when boto3 is not installed (Debian: python3-boto3).
"""
import argparse
import datetime
import sys

try:
    import boto3
    import botocore.auth
    from botocore.config import Config
except ImportError:
    sys.exit(3)


class FrozenDateTime(datetime.datetime):
    frozen = None

    @classmethod
    def utcnow(cls):
        return cls.frozen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bucket", required=True)
    ap.add_argument("--region", required=True)
    ap.add_argument("--access-key", required=True)
    ap.add_argument("--secret-key", required=True)
    ap.add_argument("--token")
    ap.add_argument("--endpoint")
    ap.add_argument("--addressing", default="auto")
    ap.add_argument("--expires", type=int, required=True)
    ap.add_argument("--time", type=int, required=True)
    args = ap.parse_args()

    FrozenDateTime.frozen = datetime.datetime.utcfromtimestamp(args.time)
    botocore.auth.datetime.datetime = FrozenDateTime  # botocore.auth reads utcnow() here

    client = boto3.client(
        "s3",
        region_name=args.region,
        endpoint_url=args.endpoint,
        aws_access_key_id=args.access_key,
        aws_secret_access_key=args.secret_key,
        aws_session_token=args.token,
        config=Config(signature_version="s3v4", s3={"addressing_style": args.addressing}),
    )
    for line in sys.stdin.buffer.read().decode("utf-8").split("\n"):
        if not line:
            continue
        url = client.generate_presigned_url(
            "get_object", Params={"Bucket": args.bucket, "Key": line}, ExpiresIn=args.expires)
        print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
