"""Build glue: compiles the kernel library into the cffi extension pycmsisnn._lib."""
from setuptools import setup

setup(cffi_modules=["pycmsisnn/_ffi/build.py:ffibuilder"])
