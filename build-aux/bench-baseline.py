#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The baseline of the export benchmark: what tap-lever and most hand-written scripts do.
# Follows `next` one page after another with the standard library, writes JSON Lines.
#
#   bench-baseline.py API_BASE ACCESS_TOKEN OUTPUT [QUERY]
#
# The token is read from the environment variable BENCH_TOKEN when ACCESS_TOKEN is "-".
# QUERY (e.g. "confidentiality=all") is added to every request.
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def main():
    api_base, token, output = sys.argv[1], sys.argv[2], sys.argv[3]
    extra = dict(urllib.parse.parse_qsl(sys.argv[4])) if len(sys.argv) > 4 else {}
    if token == "-":
        token = os.environ["BENCH_TOKEN"]
    offset = None
    records = pages = retries = 0
    with open(output, "w") as out:
        while True:
            query = {"limit": "100", **extra}
            if offset:
                query["offset"] = offset
            url = f"{api_base}/opportunities?{urllib.parse.urlencode(query)}"
            request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    page = json.load(response)
            except urllib.error.HTTPError as e:
                if e.code == 429 and retries < 100:
                    retries += 1
                    time.sleep(1)
                    continue
                raise
            for record in page["data"]:
                out.write(json.dumps(record) + "\n")
            records += len(page["data"])
            pages += 1
            if not page.get("hasNext"):
                break
            offset = page["next"]
    print(json.dumps({"records": records, "pages": pages, "retries_429": retries}))


if __name__ == "__main__":
    main()
