"""The project library in the open API; the router is mounted where the API's URLs are configured."""

from .endpoints import router

__all__ = ["router"]
