"""Runs that go wrong end with a distinct, explained status: a fault with its
PC, a stack overflow, a kernel's error status, a hang cut by the timeout."""
from __future__ import annotations

import pytest

from pycmsisnn import targets

from .fixture_model import sample

CORES = list(targets.CORES)
V6M = {"cortex-m0"}
V7M = {"cortex-m3", "cortex-m4", "cortex-m7"}
V8M = {"cortex-m33", "cortex-m55"}
BAD_ADDRESS = 0x3FFFFFF0  # fixture.c's FIXTURE_BAD_ADDRESS: nothing answers there on any board
CFSR_MSTKERR, CFSR_PRECISERR, CFSR_BFARVALID, CFSR_STKOF = 1 << 4, 1 << 9, 1 << 15, 1 << 20


@pytest.mark.parametrize("core", CORES)
def test_invalid_address_is_a_fault_with_its_pc(core: str, fixture_build) -> None:
    result = targets.run_build(fixture_build(core, "FIXTURE_FAULT"), sample(0))
    assert result.status is targets.RunStatus.HARD_FAULT
    assert result.exit_code == 3 and result.outputs == ()
    fault = result.fault
    assert fault is not None and fault.pc is not None and fault.function is not None
    assert fault.function.split("+")[0] in ("fixture_invoke", "fixture_misbehave")
    assert f"pc=0x{fault.pc:08x} ({fault.function})" in result.message
    if core in V6M:
        assert fault.exception == 3  # HardFault: v6-M has no other fault
    else:
        assert fault.exception == 5  # BusFault
        assert fault.cfsr == CFSR_PRECISERR | CFSR_BFARVALID
        assert fault.bfar == BAD_ADDRESS
    with pytest.raises(targets.TargetRunError, match="hard fault"):
        result.check()


@pytest.mark.parametrize("core", CORES)
def test_runaway_recursion_is_a_stack_overflow(core: str, fixture_build) -> None:
    build = fixture_build(core, "FIXTURE_OVERFLOW")
    result = targets.run_build(build, sample(0))
    assert result.status is targets.RunStatus.STACK_OVERFLOW
    assert result.exit_code == 4
    fault = result.fault
    assert fault is not None and fault.sp is not None
    if core in V8M:  # MSPLIM
        assert fault.exception == 6 and fault.cfsr == CFSR_STKOF
    elif core in V7M:  # the MPU guard region, hit while stacking
        assert fault.exception == 4 and fault.cfsr is not None and fault.cfsr & CFSR_MSTKERR
    else:  # off the start of SRAM
        assert fault.exception == 3 and fault.sp < build.core.stack.origin


@pytest.mark.parametrize("core", CORES)
def test_touching_the_guard_zone_is_a_stack_overflow(core: str, fixture_build) -> None:
    result = targets.run_build(fixture_build(core, "FIXTURE_GUARD"), sample(0))
    assert result.status is targets.RunStatus.STACK_OVERFLOW
    assert result.exit_code == 4
    if core in V7M:  # the MPU faults on the write itself
        assert result.fault is not None and result.fault.exception == 4
        assert result.fault.mmfar == targets.get_core(core).stack.origin + 16
    else:  # found by the painted-stack check at exit
        assert result.fault is None
        assert result.stack_used == result.stack_size - 16
        assert "guard zone reached" in result.message


@pytest.mark.parametrize("core", ["cortex-m0", "cortex-m4", "cortex-m55"])
def test_kernel_error_status_is_reported(core: str, fixture_build) -> None:
    result = targets.run_build(fixture_build(core, "FIXTURE_BAD_STATUS"), sample(0))
    assert result.status is targets.RunStatus.KERNEL_ERROR
    assert (result.exit_code, result.kernel_status) == (11, -1)
    assert result.outputs == ()
    assert result.message == f"{core}: the model returned ARM_CMSIS_NN_ARG_ERROR"
    assert result.instructions is not None and len(result.instructions.layers) == 2


@pytest.mark.parametrize("core", ["cortex-m3", "cortex-m55"])
def test_hang_ends_with_the_timeout(core: str, fixture_build) -> None:
    result = targets.run_build(fixture_build(core, "FIXTURE_HANG"), sample(0), timeout=1.5)
    assert result.status is targets.RunStatus.TIMEOUT
    assert result.exit_code is None and result.outputs == () and result.instructions is None
    assert 1.5 <= result.seconds < 10
    assert "no exit after 1.5 s" in result.message
    with pytest.raises(targets.TargetRunError, match="timeout"):
        result.check()


def test_exit_codes_are_distinct(fixture_build) -> None:
    codes = {
        variant: targets.run_build(fixture_build("cortex-m4", *variant), sample(0), count_instructions=False).exit_code
        for variant in [(), ("FIXTURE_FAULT",), ("FIXTURE_OVERFLOW",), ("FIXTURE_BAD_STATUS",)]
    }
    assert list(codes.values()) == [0, 3, 4, 11]
