"""Oz's own TDL parser as the oracle: one JSON line per file named on stdin, {"file", "ok", "error"}."""
import json
import sys

import tempfile

import oz.TDL

# oz.TDL downloads the content of url-type <file>s and <command>s while it parses. This machine
# has no network and the corpus has not the files such URLs name, so the download alone is
# replaced by empty content: the template is judged, not whether its URLs are reachable.
_real_data_from_type = oz.TDL.data_from_type
fetched = []


def _offline_data_from_type(name, contenttype, content):
    if contenttype == "url":
        fetched.append(content)
        return tempfile.NamedTemporaryFile()
    return _real_data_from_type(name, contenttype, content)


oz.TDL.data_from_type = _offline_data_from_type

for line in sys.stdin:
    path = line.rstrip("\n")
    if not path:
        continue
    fetched.clear()
    try:
        with open(path, encoding="utf-8") as f:
            oz.TDL.TDL(f.read())
        verdict = {"file": path, "ok": True, "fetchesSkipped": len(fetched)}
    except Exception as e:  # every refusal of oz.TDL counts, whatever its class
        verdict = {"file": path, "ok": False, "error": f"{type(e).__name__}: {e}"}
    print(json.dumps(verdict), flush=True)
