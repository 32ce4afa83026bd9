"""What code generation refuses, with the operator and the reason, before
writing anything: run-time transposes it has no code for, kernels without an
emitter, bad names, unknown cores."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pycmsisnn.cli import main
from pycmsisnn.codegen import CodegenRefusal, convert
from pycmsisnn.ir import Graph, Operator, Quant, Tensor
from pycmsisnn.lower import KernelCall, Plan, TensorArg
from pycmsisnn.runtime import load

from ..kernels.test_batch_matmul import BmmConfig
from ..kernels.test_batch_matmul import _model as bmm_model
from ..support import mlperf_tiny


def _plan_with(kernels: list[str]) -> Plan:
    tensors = tuple(Tensor(i, f"t{i}", (1, 8), np.dtype(np.int8), Quant((0.1,), (0,))) for i in range(len(kernels) + 1))
    calls = []
    for k, kernel in enumerate(kernels):
        op = Operator(k, f"OP{k}", (k,), (k + 1,))
        calls.append(KernelCall(op=op, kernel=kernel, args={"data": TensorArg(k)}, outputs=(k + 1,)))
    return Plan(Graph(tensors, tuple(c.op for c in calls), (0,), (len(kernels),)), tuple(calls))


def test_batch_matmul_needing_a_runtime_transpose_is_refused(tmp_path: Path) -> None:
    model = load(bmm_model(BmmConfig((2, 3, 4), (2, 4, 5))))  # rhs is an activation, adj_y is false
    with pytest.raises(CodegenRefusal) as err:
        convert(model, tmp_path / "out", measure_size=False)
    assert str(err.value) == (
        "cannot generate C for:\n  operator 0 (BATCH_MATMUL -> arm_batch_matmul_s8): the rhs operand is an activation "
        "that the wrapper transposes in numpy (adj_x on lhs, or no adj_y on rhs); generated code has no run-time transpose for it yet"
    )
    assert not (tmp_path / "out").exists()


def test_every_refused_operator_is_listed(tmp_path: Path) -> None:
    plan = _plan_with(["arm_relu_q7", "pycmsisnn_relu_s8_bogus"])
    with pytest.raises(CodegenRefusal) as err:
        convert(plan, tmp_path / "out", target="cortex-m0", measure_size=False)
    assert str(err.value) == (
        "cannot generate C for:\n"
        "  operator 0 (OP0 -> arm_relu_q7): no C emitter for this kernel\n"
        "  operator 1 (OP1 -> pycmsisnn_relu_s8_bogus): no C emitter for this kernel"
    )
    assert not (tmp_path / "out").exists()


def test_refusal_exits_2_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bmm.tflite"
    path.write_bytes(bmm_model(BmmConfig((2, 3, 4), (2, 4, 5))))
    assert main(["convert", str(path), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "operator 0 (BATCH_MATMUL -> arm_batch_matmul_s8): the rhs operand is an activation" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("target,name,message", [
    ("cortex-m85", "model", "unknown target 'cortex-m85'"),
    ("host", "model", "unknown target 'host'"),
    ("cortex-m4", "my-model", "'my-model' is not a valid C identifier"),
    ("cortex-m4", "2nd", "'2nd' is not a valid C identifier"),
])
def test_bad_target_or_name(tmp_path: Path, target: str, name: str, message: str) -> None:
    plan = load(mlperf_tiny.built("ad01")).plan
    with pytest.raises(ValueError, match=message):
        convert(plan, tmp_path / "out", target=target, name=name, measure_size=False)
    assert not (tmp_path / "out").exists()


def test_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="expected a Plan, a Model, a Graph, a .tflite path or bytes, got int"):
        convert(42, tmp_path / "out")
