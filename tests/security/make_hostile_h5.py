"""Writes the HDF5 part of the hostile-file corpus (run by hostile-corpus.ts at test time).

Usage: /usr/bin/python3 make_hostile_h5.py OUT_DIR CANARY_DIR

Every file describes the same tiny model, Input(2) -> Dense(3) (kernel 2x3, bias 3), in
the Keras 2 / legacy layout (``model_config`` + ``model_weights``) or, for ``*.weights3.h5``,
in the Keras 3 layout (``layers/dense/vars/0``), so a loader that accepts one would build a
real model. Each one breaks one rule: weight data from another file (external storage,
external links, virtual datasets), links that lead nowhere or in circles, sizes that lie,
or a config split into thousands of chunks. CANARY_DIR (outside OUT_DIR) receives the
files those references point at; their bytes must never appear in any loaded weight.
"""
import json
import os
import sys
import zlib

import h5py
import numpy as np

OUT, CANARY_DIR = sys.argv[1], sys.argv[2]
os.makedirs(OUT, exist_ok=True)
os.makedirs(CANARY_DIR, exist_ok=True)

# A distinctive float pattern: if it shows up in a weight, bytes came from outside the model folder.
CANARY_VALUES = np.array([1234.5, -2345.25, 3456.125, -4567.0625, 5678.5, -6789.75], dtype=np.float32)
CANARY_BIN = os.path.join(CANARY_DIR, "canary.bin")
CANARY_H5 = os.path.join(CANARY_DIR, "canary.h5")
CANARY_VALUES.tofile(CANARY_BIN)
with h5py.File(CANARY_H5, "w") as f:
    f["data"] = CANARY_VALUES.reshape(2, 3)
    f["bias"] = CANARY_VALUES[:3]

DTYPE = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}
CONFIG = {
    "class_name": "Sequential",
    "config": {
        "name": "tiny",
        "trainable": True,
        "dtype": DTYPE,
        "layers": [
            {"class_name": "InputLayer", "config": {"batch_shape": [None, 2], "dtype": "float32", "name": "input_layer"}},
            {"class_name": "Dense", "config": {"name": "dense", "trainable": True, "dtype": DTYPE, "units": 3, "activation": "linear", "use_bias": True}},
        ],
    },
}
KERNEL = np.arange(1, 7, dtype=np.float32).reshape(2, 3) / 10
BIAS = np.array([0.5, -0.5, 0.25], dtype=np.float32)


def legacy(name, kernel=None, bias=None, config=CONFIG, chunks=0):
    """A legacy .h5 whose dense kernel/bias are made by the callbacks (or plain data)."""
    path = os.path.join(OUT, name)
    with h5py.File(path, "w") as f:
        text = json.dumps(config)
        if chunks:
            size = -(-len(text) // chunks)
            for i in range(chunks):
                f.attrs[f"model_config{i}"] = text[i * size:(i + 1) * size]
        else:
            f.attrs["model_config"] = text
        f.attrs["keras_version"] = "3.15.1"
        weights = f.create_group("model_weights")
        weights.attrs["layer_names"] = np.array([b"dense"], dtype=object)
        group = weights.create_group("dense")
        group.attrs["weight_names"] = np.array([b"tiny/dense/kernel", b"tiny/dense/bias"], dtype=object)
        inner = group.create_group("tiny/dense")
        (kernel or (lambda g, n: g.create_dataset(n, data=KERNEL)))(inner, "kernel")
        (bias or (lambda g, n: g.create_dataset(n, data=BIAS)))(inner, "bias")
    return path


def keras3(name, extra=None):
    """A Keras 3 layout .h5 (model_config + layers/dense/vars/i), like model.weights.h5 plus the config."""
    path = os.path.join(OUT, name)
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps(CONFIG)
        variables = f.create_group("layers/dense/vars")
        variables.attrs["name"] = "dense"
        variables["0"] = KERNEL
        variables["1"] = BIAS
        f.create_group("vars")
        if extra:
            extra(f)
    return path


legacy("ok.h5")
keras3("ok-keras3.h5")

# Weight data from other files.
legacy("external-storage.h5", kernel=lambda g, n: g.create_dataset(n, shape=(2, 3), dtype="<f4", external=[(CANARY_BIN, 0, 24)]))
legacy("external-storage-relative.h5", kernel=lambda g, n: g.create_dataset(n, shape=(2, 3), dtype="<f4", external=[(os.path.relpath(CANARY_BIN, OUT), 0, 24)]))
legacy("external-storage-dev-zero.h5", kernel=lambda g, n: g.create_dataset(n, shape=(2, 3), dtype="<f4", external=[("/dev/zero", 0, 24)]))


def external_link(g, n):
    g[n] = h5py.ExternalLink(CANARY_H5, "/data")


legacy("external-link.h5", kernel=external_link)


def virtual(g, n):
    layout = h5py.VirtualLayout(shape=(2, 3), dtype="<f4")
    layout[:] = h5py.VirtualSource(CANARY_H5, "data", shape=(2, 3))
    g.create_virtual_dataset(n, layout)


legacy("virtual-dataset.h5", kernel=virtual)


def soft_to_external(g, n):
    g.file["stash/outside"] = h5py.ExternalLink(CANARY_H5, "/data")
    g[n] = h5py.SoftLink("/stash/outside")


legacy("soft-link-to-external.h5", kernel=soft_to_external)
legacy("broken-soft-link.h5", kernel=lambda g, n: g.__setitem__(n, h5py.SoftLink("/nowhere/at/all")))


def soft_inside(g, n):
    g.file["stash/kernel"] = KERNEL
    g[n] = h5py.SoftLink("/stash/kernel")


legacy("soft-link-inside.h5", kernel=soft_inside)

# Keras 3 layout: external link as a variable, and a hard-link cycle in the group tree.
keras3("external-link.weights3.h5", extra=lambda f: f["layers/dense/vars"].__setitem__("2", h5py.ExternalLink(CANARY_H5, "/data")))


def cycle(f):
    # layers/dense/loop is the root group again: a walk that follows it never ends.
    f["layers/dense/loop"] = f["/"]
    f["layers/dense/vars/again"] = f["layers"]


keras3("hard-link-cycle.weights3.h5", extra=cycle)

# Sizes that lie.
GIB_FLOATS = 2 ** 28  # 1 GiB of float32


def sparse_eight(g, n):
    if n != "kernel":
        g.create_dataset(n, data=BIAS)
        return
    big = g.file.create_dataset("stash/big", shape=(GIB_FLOATS,), dtype="<f4", chunks=(2 ** 20,))
    g[n] = big


path = legacy("sparse-1gib-eight-times.h5", kernel=sparse_eight)
with h5py.File(path, "a") as f:
    group = f["model_weights/dense"]
    names = [f"tiny/dense/k{i}".encode() for i in range(8)]
    for name in names:
        f["model_weights/dense"][name.decode()] = f["stash/big"]
    group.attrs["weight_names"] = np.array(names, dtype=object)


def gzip_bomb(g, n):
    if n != "kernel":
        g.create_dataset(n, data=BIAS)
        return
    # 1 GiB of zeros, written, compressed to about a megabyte (each chunk deflated once, then copied).
    data = g.create_dataset(n, shape=(GIB_FLOATS,), dtype="<f4", chunks=(2 ** 22,), compression="gzip", compression_opts=9)
    packed = zlib.compress(np.zeros(2 ** 22, dtype=np.float32).tobytes(), 9)
    for start in range(0, GIB_FLOATS, 2 ** 22):
        data.id.write_direct_chunk((start,), packed)


legacy("gzip-bomb-1gib.h5", kernel=gzip_bomb)
legacy("huge-dimensions.h5", kernel=lambda g, n: g.create_dataset(n, shape=(2 ** 40, 2 ** 20), dtype="<f4", chunks=(1, 1024)))
legacy("string-weights.h5", kernel=lambda g, n: g.create_dataset(n, data=np.array([b"a", b"b"], dtype=object)))
legacy("compound-weights.h5", kernel=lambda g, n: g.create_dataset(n, data=np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")])))

# A config stored in 3,000 chunks (Keras's form for large attributes): must be read in linear time.
padded = json.loads(json.dumps(CONFIG))
padded["config"]["padding"] = "x" * 300_000
legacy("config-3000-chunks.h5", config=padded, chunks=3000)

print("\n".join(sorted(os.listdir(OUT))))
