"""One Python function per CMSIS-NN function, numpy arrays in and out.

Each wrapper validates every argument before any C runs (``ArgError``, a
``ValueError``, naming the kernel, the argument and the reason), sizes and
allocates scratch with the kernel's own buffer-size function, and turns a
non-success status into an exception. Family modules:
``convolution``, ``depthwise``, ``transpose_conv``, ``fully_connected``,
``pooling``, ``softmax``, ``elementwise``, ``activation``, ``data_movement``.
"""
