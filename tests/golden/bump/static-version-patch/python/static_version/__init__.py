"""static_version: the Python half of a mixed Rust/Python package."""

from static_version._core import answer

__version__ = "1.3.1"

__all__ = ["answer", "__version__"]
