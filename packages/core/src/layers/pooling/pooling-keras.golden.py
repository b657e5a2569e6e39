"""Keras goldens for every pooling layer, on all-negative and mixed-sign inputs.

Run from this directory:  . /tmp/keras-oracle/kenv.sh && $PY pooling-keras.golden.py
Writes pooling-keras.golden.json (committed): per case the layer class, its Keras config keys,
the input, real Keras 3's output and its input gradient of sum(output · (1, 2, 3, …)). All-negative inputs catch a max kernel that starts its
running maximum at 0 or at FLT_MIN instead of -inf (TF.js WASM MaxPool3D did).

One backend difference: for average pooling with `same` padding that is uneven (more padding at
the end), Keras's TensorFlow, JAX and NumPy backends (and tf.keras 2, which wrote most files)
divide each window sum by the number of real input values, while the PyTorch backend this oracle
runs pads by replicating the edge values (keras/src/backend/torch/nn.py `_apply_same_padding`,
mode "replicate") and so averages copies of the edge. Strata follows TensorFlow/JAX; for those
cases `output` comes from the NumPy reimplementation of that rule below (`keras_torch_output`
keeps what the PyTorch backend printed, `torch_backend_differs` marks them).
"""
import itertools
import json
import math

import numpy as np
import keras
import torch

rng = np.random.default_rng(20261206)


def short(v):
    # 7 significant digits: well inside the 1e-5 tolerance, and a small JSON.
    return [short(e) for e in v] if isinstance(v, list) else float("%.7g" % v)


def make_input(shape, sign):
    x = rng.uniform(-1.0, 1.0, size=shape).astype("float32")
    if sign == "negative":
        x = x - 2.0  # every value in [-3, -1)
    return x


cases = []


def tf_same_average(x, pool, strides, channels_first):
    """Average pooling with TF's `same` padding (extra pad at the end, padded values not counted)."""
    if channels_first:
        x = np.moveaxis(x, 1, -1)
    x = x.astype("float64")
    spatial = x.shape[1:-1]
    outs = [math.ceil(n / s) for n, s in zip(spatial, strides)]
    befores = [max((o - 1) * s + p - n, 0) // 2 for o, s, p, n in zip(outs, strides, pool, spatial)]
    y = np.zeros((x.shape[0], *outs, x.shape[-1]))
    for pos in itertools.product(*[range(o) for o in outs]):
        window = tuple(slice(max(o * s - b, 0), min(o * s - b + p, n))
                       for o, s, b, p, n in zip(pos, strides, befores, pool, spatial))
        y[(slice(None), *pos, slice(None))] = x[(slice(None), *window, slice(None))].mean(axis=tuple(range(1, len(spatial) + 1)))
    return np.moveaxis(y, -1, 1) if channels_first else y


def case(cls, shape, sign, **config):
    layer = getattr(keras.layers, cls)(**config)
    x = make_input(shape, sign)
    # The gradient of sum(y * (1, 2, 3, ...)) with respect to x, through Keras's own layer call.
    xt = torch.tensor(x, requires_grad=True)
    yt = layer(xt)
    weights = torch.arange(1, yt.numel() + 1, dtype=torch.float32).reshape(yt.shape)
    (yt * weights).sum().backward()
    y = yt.detach().numpy()
    grad = xt.grad.numpy()
    name = f"{cls} {sign} " + " ".join(f"{k}={v}" for k, v in config.items())
    entry = {"name": name.strip(), "class_name": cls, "config": config, "input_shape": list(shape),
             "input": short(x.reshape(-1).tolist()), "output_shape": list(y.shape)}
    if cls.startswith("AveragePooling") and config.get("padding") == "same":
        rank = len(shape) - 2
        pool = [config["pool_size"]] * rank if isinstance(config["pool_size"], int) else list(config["pool_size"])
        strides = [config["strides"]] * rank if isinstance(config["strides"], int) else list(config["strides"])
        ref = tf_same_average(x, pool, strides, config.get("data_format") == "channels_first")
        if np.abs(ref - y).max() > 1e-5:
            entry["torch_backend_differs"] = True
            entry["keras_torch_output"] = short(y.reshape(-1).tolist())
            grad = None  # the PyTorch backend's gradient follows its own (replicated-edge) rule
        y = ref
    if grad is not None:
        entry["grad"] = short(grad.reshape(-1).tolist())
    entry["output"] = short(y.reshape(-1).tolist())
    cases.append(entry)


for sign in ("negative", "mixed"):
    cf = "channels_first"
    # 1-D
    case("MaxPooling1D", (2, 7, 3), sign)
    case("MaxPooling1D", (2, 7, 3), sign, pool_size=3, strides=2, padding="same")
    case("MaxPooling1D", (2, 3, 7), sign, pool_size=2, strides=1, padding="valid", data_format=cf)
    case("AveragePooling1D", (2, 7, 3), sign, pool_size=2)
    case("AveragePooling1D", (2, 7, 3), sign, pool_size=3, strides=2, padding="same")
    case("AveragePooling1D", (2, 3, 7), sign, pool_size=4, strides=3, padding="same", data_format=cf)
    # 2-D
    case("MaxPooling2D", (2, 5, 6, 2), sign)
    case("MaxPooling2D", (2, 5, 6, 2), sign, pool_size=(3, 2), strides=(2, 1), padding="same")
    case("MaxPooling2D", (1, 2, 5, 5), sign, pool_size=2, strides=1, padding="valid", data_format=cf)
    case("AveragePooling2D", (2, 5, 6, 2), sign, pool_size=2)
    case("AveragePooling2D", (2, 5, 6, 2), sign, pool_size=(3, 3), strides=(2, 2), padding="same")
    case("AveragePooling2D", (1, 2, 5, 5), sign, pool_size=3, strides=1, padding="same", data_format=cf)
    # 3-D
    case("MaxPooling3D", (1, 4, 4, 4, 2), sign)
    case("MaxPooling3D", (2, 3, 5, 4, 2), sign, pool_size=(2, 3, 2), strides=(2, 2, 1), padding="same")
    case("MaxPooling3D", (1, 2, 5, 4, 4), sign, pool_size=(3, 2, 2), strides=(1, 2, 1), padding="valid", data_format=cf)
    case("AveragePooling3D", (1, 4, 4, 4, 2), sign, pool_size=2)
    case("AveragePooling3D", (2, 3, 5, 4, 2), sign, pool_size=(2, 3, 2), strides=(2, 2, 1), padding="same")
    case("AveragePooling3D", (1, 2, 5, 4, 4), sign, pool_size=(3, 2, 3), strides=(2, 2, 2), padding="same", data_format=cf)
    # global
    for rank, shape in ((1, (2, 5, 3)), (2, (2, 4, 3, 3)), (3, (2, 3, 3, 2, 3))):
        for kind in ("Max", "Average"):
            cls = f"Global{kind}Pooling{rank}D"
            case(cls, shape, sign)
            case(cls, shape, sign, data_format=cf, keepdims=True)

with open("pooling-keras.golden.json", "w") as f:
    json.dump({"keras_version": keras.__version__, "cases": cases}, f, separators=(",", ":"))
print(len(cases), "cases")
