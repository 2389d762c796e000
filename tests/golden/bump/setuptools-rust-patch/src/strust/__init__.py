"""strust: checksums, with the hot loop in Rust."""

from strust._native import checksum

__version__: str = "0.7.1"

__all__ = ["checksum"]
