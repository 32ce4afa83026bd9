"""Fixtures of the lowering tests: the host kernel library of the generated-C tests."""
from ..codegen.conftest import host_kernels  # noqa: F401 - reused by tests/lower/test_s16_conv_fc.py
