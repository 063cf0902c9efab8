"""Entry point: imgc starts this (see imgc-plugin.json) and talks JSON-RPC on stdin/stdout."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from debootstrap_backend import DebootstrapBackend  # noqa: E402
from imgc_sdk import serve  # noqa: E402

if __name__ == "__main__":
    serve(DebootstrapBackend())
