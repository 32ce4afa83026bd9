"""Build-time support: the cffi builder for the kernel library (see build.py)."""
