from ws_python._ws_python import greet

__version__ = "2.2.0"
__all__ = ["greet"]
