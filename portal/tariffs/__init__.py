from portal.tariffs.blueprint import bp

__all__ = ["bp"]
