"""Which builtin operators TensorFlow Lite Micro registers, asked as a black
box: a one-operator model per builtin opcode; an opcode the interpreter does
not know fails to resolve ("Didn't find op for builtin opcode"), any other
outcome (it runs, or its kernel refuses the placeholder tensors) means it is
registered. Each attempt runs in a forked child (a kernel may crash on the
placeholder tensors) whose output the parent reads."""
from __future__ import annotations

import functools
import subprocess
import sys

_PROBE = r"""
import os
import flatbuffers
from tflite_micro.python.tflite_micro import runtime
fb = runtime.schema_fb
names = {v: k for k, v in vars(fb.BuiltinOperator).items() if not k.startswith("_")}
for code, name in sorted(names.items()):
    if name in ("CUSTOM", "DELEGATE", "PLACEHOLDER_FOR_GREATER_OP_CODES"):
        continue
    m = fb.ModelT(); m.version = 3
    oc = fb.OperatorCodeT(); oc.builtinCode = code; oc.deprecatedBuiltinCode = min(code, 127); oc.version = 1
    m.operatorCodes = [oc]; m.buffers = [fb.BufferT()]
    sg = fb.SubGraphT(); tensors = []
    for i in range(2):
        t = fb.TensorT(); t.shape = [1, 4]; t.type = fb.TensorType.FLOAT32; t.buffer = 0; t.name = f"t{i}".encode()
        tensors.append(t)
    sg.tensors = tensors; sg.inputs = [0]; sg.outputs = [1]
    op = fb.OperatorT(); op.opcodeIndex = 0; op.inputs = [0]; op.outputs = [1]
    sg.operators = [op]; m.subgraphs = [sg]
    b = flatbuffers.Builder(1024); b.Finish(m.Pack(b), file_identifier=b"TFL3")
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r); os.dup2(w, 1); os.dup2(w, 2)
        try:
            runtime.Interpreter.from_bytes(bytes(b.Output()))
        except Exception:
            pass
        os._exit(0)
    os.close(w)
    chunks = []
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(r)
    os.waitpid(pid, 0)
    found = b"Didn't find op for builtin opcode" not in b"".join(chunks)
    print(("+" if found else "-") + name, flush=True)
"""


@functools.lru_cache(maxsize=1)
def tflm_builtin_operators() -> frozenset[str]:
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=300, check=True)
    return frozenset(line[1:] for line in out.stdout.splitlines() if line.startswith("+"))
