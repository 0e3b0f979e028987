from portal.reshoring.blueprint import bp

__all__ = ["bp"]
