"""Golden cases for keras.ops calls in functional models, made with real Keras 3 (torch backend).

Each case: a functional model whose graph holds keras.ops calls (with constants in the node args and
options such as axis/keepdims/newshape in the op config), saved as .keras and legacy .h5, fixed inputs,
and Keras's own predict() outputs. Writes ./<case>/{model.keras, model.h5, x*.npy, y*.npy} and ./manifest.json
in the format of ../shared/keras3-golden/manifest.json.

Run with the Keras environment of ../shared/keras3-golden/README.md:
  . /tmp/keras-oracle/kenv.sh && $PY tests/conformance/keras-golden/ops/make_ops_goldens.py
"""
import json
import os
import warnings

import numpy as np
import keras
from keras import layers, ops

warnings.filterwarnings("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))


def perturb(model, rng):
    for v in model.weights:
        if v.name == "bias":
            v.assign(rng.normal(0.0, 0.1, tuple(v.shape)).astype("float32"))


def save_case(name, model, inputs, tol=1e-4, notes=""):
    d = os.path.join(HERE, name)
    os.makedirs(d, exist_ok=True)
    entry = {"name": name, "dir": name, "keras_version": keras.__version__, "backend": keras.backend.backend(),
             "tolerance_abs": tol, "notes": notes, "models": [], "inputs": [], "outputs": []}
    for i, x in enumerate(inputs):
        np.save(os.path.join(d, f"x{i}.npy"), x)
        entry["inputs"].append({"file": f"{name}/x{i}.npy", "dtype": str(x.dtype), "shape": list(x.shape)})
    pred = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
    outs = pred if isinstance(pred, (list, tuple)) else [pred]
    for i, y in enumerate(outs):
        y = np.asarray(y).astype("float32")
        np.save(os.path.join(d, f"y{i}.npy"), y)
        entry["outputs"].append({"file": f"{name}/y{i}.npy", "dtype": "float32", "shape": list(y.shape)})
    model.save(os.path.join(d, "model.keras"))
    entry["models"].append({"file": f"{name}/model.keras", "format": "keras-v3"})
    reloaded = keras.saving.load_model(os.path.join(d, "model.keras"))
    rp = reloaded.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
    rp = rp if isinstance(rp, (list, tuple)) else [rp]
    entry["keras_reload_max_abs_diff"] = float(max(np.abs(np.asarray(a) - b).max() for a, b in zip(rp, outs)))
    model.save(os.path.join(d, "model.h5"))
    h5 = {"file": f"{name}/model.h5", "format": "keras-legacy-h5"}
    try:
        keras.models.load_model(os.path.join(d, "model.h5"), compile=False)
    except Exception as e:  # noqa: BLE001  (Keras cannot read op entries back from .h5)
        h5["keras_reload_error"] = f"{type(e).__name__}: {e}"[:200]
    entry["models"].append(h5)
    print(name, [o["shape"] for o in entry["outputs"]], "reload diff", entry["keras_reload_max_abs_diff"])
    return entry


def ops_elementwise():
    keras.utils.set_random_seed(41)
    rng = np.random.default_rng(41)
    x = keras.Input((4, 6), name="x")
    y = keras.Input((6,), name="y")
    h = layers.Dense(6, name="proj")(x)
    yb = ops.expand_dims(y, 1)           # (N, 1, 6), broadcast over the 4 steps below
    a = ops.add(h, 2.0)
    b = 3.0 * h - yb                     # Multiply with a leading constant, Subtract broadcasting
    c = ops.divide(a, ops.add(ops.abs(yb), 1.0))
    d = ops.sqrt(ops.square(h) + 1e-3)
    e = ops.exp(ops.negative(ops.abs(h)))
    f = ops.log(ops.add(ops.exp(h), 1.0))
    g = ops.where(ops.greater(h, 0.0), h, ops.multiply(h, 0.1))
    k = ops.maximum(ops.minimum(h, 0.5), -0.5) + ops.power(h, 2) + ops.tanh(h) + ops.sigmoid(h) + ops.relu(yb)
    s = ops.mean(a + b + c, axis=-1, keepdims=True) + ops.sum(d + e, axis=(1, 2), keepdims=True) * 0.1
    out1 = ops.max(f + g, axis=2) - ops.expand_dims(ops.min(k, axis=(1, 2), keepdims=False), -1) + ops.squeeze(s, axis=-1)
    out2 = ops.true_divide(k, 2.0)
    m = keras.Model([x, y], [out1, out2], name="ops_elementwise")
    perturb(m, rng)
    return save_case("ops_elementwise", m, [rng.standard_normal((5, 4, 6)).astype("float32"),
                                            rng.standard_normal((5, 6)).astype("float32")],
                     notes="binary ops with constants on either side and broadcasting, unary ops, where/greater, reductions with axis/keepdims")


def ops_shapes():
    keras.utils.set_random_seed(42)
    rng = np.random.default_rng(42)
    x = keras.Input((5, 8), name="seq")
    tokens = keras.Input((7,), dtype="int32", name="tokens")
    q = layers.Dense(4, name="q")(x)
    kk = layers.Dense(4, name="k")(x)
    v = layers.Dense(4, name="v")(x)
    scores = ops.matmul(q, ops.transpose(kk, (0, 2, 1))) / ops.sqrt(4.0)
    att = ops.matmul(ops.softmax(scores, axis=-1), v)           # (N, 5, 4)
    flat = ops.reshape(att, (-1, 20))
    col = ops.softmax(scores, axis=1)                            # softmax over a non-last axis
    both = ops.concatenate([att, ops.expand_dims(ops.mean(v, axis=-1), -1)], axis=-1)  # (N, 5, 5)
    stacked = ops.stack([ops.squeeze(ops.expand_dims(q, 1), axis=1), kk], axis=1)       # (N, 2, 5, 4)
    count = ops.sum(ops.cast(ops.not_equal(tokens, 0), "float32"), axis=1, keepdims=True)  # (N, 1)
    same = ops.cast(ops.equal(tokens, 3), "float32")                                    # (N, 7)
    out1 = layers.Dense(3, name="head")(flat) + count
    out2 = ops.sum(both, axis=-1) + ops.mean(col, axis=2) + ops.mean(stacked, axis=(1, 3))
    m = keras.Model([x, tokens], [out1, out2, same], name="ops_shapes")
    perturb(m, rng)
    t = rng.integers(0, 6, (4, 7)).astype("int32")
    t[0, 4:] = 0
    return save_case("ops_shapes", m, [rng.standard_normal((4, 5, 8)).astype("float32"), t],
                     notes="matmul/transpose/softmax(axis) attention, reshape with -1, concatenate/stack/expand_dims/squeeze, cast, not_equal/equal on int32 tokens")


def ops_getitem():
    keras.utils.set_random_seed(43)
    rng = np.random.default_rng(43)
    x = keras.Input((6, 5), name="x")
    h = layers.Dense(5, name="proj")(x)
    last = h[:, -1, :]                         # last time step
    first = h[..., 0]                          # ellipsis + index
    strided = h[:, None, 1:6:2]                # newaxis + slice with a step
    tail = h[:, 2:, -3:]                       # slices from the start and from the end
    out = layers.Dense(2, name="head")(last) + ops.sum(first, axis=-1, keepdims=True)
    m = keras.Model(x, [out, strided, tail], name="ops_getitem")
    perturb(m, rng)
    return save_case("ops_getitem", m, [rng.standard_normal((3, 6, 5)).astype("float32")],
                     notes="x[...] indexing (GetItem): negative index, ellipsis, newaxis, slices with steps and negative bounds (the torch backend has no negative steps)")


def ops_mask_merge():
    keras.utils.set_random_seed(44)
    rng = np.random.default_rng(44)
    a = keras.Input((6,), dtype="int32", name="a")
    b = keras.Input((6,), dtype="int32", name="b")
    c = keras.Input((6, 3), name="c")
    ea = layers.Embedding(20, 4, mask_zero=True, name="emb_a")(a)
    eb = layers.Embedding(20, 4, mask_zero=True, name="emb_b")(b)
    # Concatenate's mask is built from ops Keras records: ExpandDims, ZerosLike, LogicalOr, OnesLike, Concatenate, Any.
    merged = layers.LSTM(3, name="lstm_merged")(layers.Concatenate(name="cat")([ea, eb, c]))
    bi = layers.Bidirectional(layers.LSTM(2, return_sequences=True), name="bi")(ea)
    m = keras.Model([a, b, c], [merged, bi], name="ops_mask_merge")
    perturb(m, rng)
    ta = rng.integers(1, 20, (4, 6)).astype("int32"); tb = rng.integers(1, 20, (4, 6)).astype("int32")
    ta[0, 3:] = 0; ta[1, 5:] = 0; tb[0, 4:] = 0; tb[2, 2:] = 0; ta[3, :] = 0
    return save_case("ops_mask_merge", m, [ta, tb, rng.standard_normal((4, 6, 3)).astype("float32")], tol=1e-3,
                     notes="masks through Concatenate (recorded as mask ops) into an LSTM, and into a Bidirectional LSTM with return_sequences; padded steps included")


if __name__ == "__main__":
    cases = [ops_elementwise(), ops_shapes(), ops_getitem(), ops_mask_merge()]
    with open(os.path.join(HERE, "manifest.json"), "w") as fh:
        json.dump({"description": "keras.ops golden cases made by make_ops_goldens.py with real Keras", "cases": cases, "training": []}, fh, indent=1)
