from portal.certification.blueprint import bp

__all__ = ["bp"]
