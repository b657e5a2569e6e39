"""Reference outputs for the pooling layer tests, computed with PyTorch (float64).

Run from this directory with Debian's python3-torch:  /usr/bin/python3 pooling.fixture.py
Writes pooling.fixture.json (committed). TensorFlow's "same" padding (extra pad at the end) is
applied explicitly: -inf for max pooling; for average pooling the window sum over a
zero-padded input is divided by the number of real (unpadded) values in the window.
"""
import json
import math

import torch
import torch.nn.functional as F

torch.manual_seed(4321)


def rand(*shape):
    return torch.randn(*shape, dtype=torch.float32).to(torch.float64)


def tf_same_pads(size, pool, stride):
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + pool - size, 0)
    return total // 2, total - total // 2


def to_list(t):
    # 9 significant digits identify a float32 exactly and keep the JSON small.
    def short(v):
        return [short(e) for e in v] if isinstance(v, list) else float("%.9g" % v)
    return short(t.to(torch.float32).tolist())


def pool_case(mode, in_shape, pool, strides, padding, data_format):
    """in_shape is channels-last; pool/strides have one entry per spatial dimension."""
    rank = len(pool)
    x_last = rand(*in_shape)
    spatial = in_shape[1:-1]
    x = x_last.permute(0, rank + 1, *range(1, rank + 1))
    pads = []
    if padding == "same":
        for i in reversed(range(rank)):
            pads += list(tf_same_pads(spatial[i], pool[i], strides[i]))
    else:
        pads = [0] * (2 * rank)
    if mode == "max":
        fn = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[rank]
        y = fn(F.pad(x, pads, value=-math.inf), pool, strides)
    else:
        fn = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}[rank]
        sums = fn(F.pad(x, pads), pool, strides)
        counts = fn(F.pad(torch.ones_like(x), pads), pool, strides)
        y = sums / counts
    if data_format == "channels_last":
        y = y.permute(0, *range(2, rank + 2), 1)
        x_in = x_last
    else:
        x_in = x
    return {
        "config": {"pool_size": pool, "strides": strides, "padding": padding, "data_format": data_format},
        "input": to_list(x_in), "output": to_list(y),
    }


def masked_mean_case():
    x = rand(3, 5, 2)
    mask = torch.tensor([[1, 1, 0, 1, 0], [1, 1, 1, 1, 1], [0, 1, 0, 0, 0]], dtype=torch.bool)
    weights = mask.to(torch.float64).unsqueeze(-1)
    y = (x * weights).sum(1) / weights.sum(1)
    return {"input": to_list(x), "mask": mask.tolist(), "output": to_list(y)}


cases = {
    "max_pooling1d": {
        "default": pool_case("max", (2, 8, 3), [2], [2], "valid", "channels_last"),
        "same_stride1": pool_case("max", (2, 7, 3), [3], [1], "same", "channels_last"),
        "same_stride2_channels_first": pool_case("max", (2, 7, 3), [2], [2], "same", "channels_first"),
    },
    "max_pooling2d": {
        "default": pool_case("max", (2, 6, 6, 3), [2, 2], [2, 2], "valid", "channels_last"),
        "valid_overlap": pool_case("max", (1, 7, 6, 2), [3, 2], [2, 1], "valid", "channels_last"),
        "same": pool_case("max", (2, 5, 7, 2), [3, 3], [2, 2], "same", "channels_last"),
        "channels_first_same": pool_case("max", (2, 5, 5, 3), [2, 2], [2, 2], "same", "channels_first"),
    },
    "average_pooling1d": {
        "default": pool_case("average", (2, 8, 3), [2], [2], "valid", "channels_last"),
        "same_stride1": pool_case("average", (2, 7, 3), [3], [1], "same", "channels_last"),
        "same_channels_first": pool_case("average", (2, 7, 3), [4], [3], "same", "channels_first"),
    },
    "average_pooling2d": {
        "default": pool_case("average", (2, 6, 6, 3), [2, 2], [2, 2], "valid", "channels_last"),
        "valid_overlap": pool_case("average", (1, 7, 6, 2), [3, 2], [2, 1], "valid", "channels_last"),
        "same": pool_case("average", (2, 5, 7, 2), [3, 3], [2, 2], "same", "channels_last"),
        "same_stride1": pool_case("average", (1, 4, 4, 2), [3, 3], [1, 1], "same", "channels_last"),
        "channels_first_same": pool_case("average", (2, 5, 5, 3), [2, 2], [2, 2], "same", "channels_first"),
    },
    "max_pooling3d": {
        "default": pool_case("max", (1, 4, 4, 4, 2), [2, 2, 2], [2, 2, 2], "valid", "channels_last"),
        "same": pool_case("max", (2, 3, 5, 4, 2), [2, 3, 2], [2, 2, 1], "same", "channels_last"),
        "channels_first_valid": pool_case("max", (1, 5, 4, 4, 3), [3, 2, 2], [1, 2, 1], "valid", "channels_first"),
    },
    "average_pooling3d": {
        "default": pool_case("average", (1, 4, 4, 4, 2), [2, 2, 2], [2, 2, 2], "valid", "channels_last"),
        "same": pool_case("average", (2, 3, 5, 4, 2), [2, 3, 2], [2, 2, 1], "same", "channels_last"),
        "channels_first_same": pool_case("average", (1, 5, 4, 4, 3), [3, 2, 3], [2, 2, 2], "same", "channels_first"),
    },
    "global_average_pooling1d_masked": masked_mean_case(),
}

with open("pooling.fixture.json", "w") as f:
    json.dump(cases, f, separators=(",", ":"))
