"""Reference outputs for the convolution layer tests, computed with PyTorch (float64).

Run from this directory with Debian's python3-torch:  /usr/bin/python3 conv.fixture.py
Writes conv.fixture.json (committed). Weights use the Keras layouts; inputs and outputs use
the layout of each case's data_format. TensorFlow's asymmetric "same" padding
(extra pad at the end) is applied explicitly with F.pad, so only torch's padding-free
convolutions are used.
"""
import json
import math

import torch
import torch.nn.functional as F

torch.manual_seed(1234)


def rand(*shape):
    # float32 values, so the JSON numbers are exactly what the float32 tests read.
    return torch.randn(*shape, dtype=torch.float32).to(torch.float64)


def tf_same_pads(size, kernel, stride, dilation):
    effective = (kernel - 1) * dilation + 1
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def to_list(t):
    # 9 significant digits identify a float32 exactly and keep the JSON small.
    def short(v):
        return [short(e) for e in v] if isinstance(v, list) else float("%.9g" % v)
    return short(t.to(torch.float32).tolist())


def conv_case(rank, in_shape, filters, kernel, strides, padding, dilation, groups, data_format, use_bias=True):
    """in_shape: channels-last shape (batch, *spatial, channels)."""
    batch, *spatial, channels = in_shape
    x_last = rand(*in_shape)
    k = rand(*kernel, channels // groups, filters) * 0.5
    b = rand(filters) if use_bias else None
    x = x_last.permute(0, rank + 1, *range(1, rank + 1))  # channels first for torch
    if padding == "causal":
        x = F.pad(x, (dilation[0] * (kernel[0] - 1), 0))
    elif padding == "same":
        pads = []
        for i in reversed(range(rank)):
            pads += list(tf_same_pads(spatial[i], kernel[i], strides[i], dilation[i]))
        x = F.pad(x, pads)
    weight = k.permute(rank + 1, rank, *range(rank))
    fn = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}[rank]
    y = fn(x, weight, b, stride=strides, dilation=dilation, groups=groups)
    if data_format == "channels_last":
        y = y.permute(0, *range(2, rank + 2), 1)
        x_in = x_last
    else:
        x_in = x_last.permute(0, rank + 1, *range(1, rank + 1))
    return {
        "config": {"filters": filters, "kernel_size": kernel, "strides": strides, "padding": padding,
                   "dilation_rate": dilation, "groups": groups, "data_format": data_format, "use_bias": use_bias},
        "input": to_list(x_in), "kernel": to_list(k), "bias": to_list(b) if b is not None else None,
        "output": to_list(y),
    }


def transpose_out_len(size, kernel, stride, padding, output_padding, dilation):
    effective = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(effective, stride) - effective if output_padding is None else output_padding
        return (size - 1) * stride + effective + extra
    if output_padding is None:
        return size * stride
    return (size - 1) * stride + effective % 2 + output_padding


def conv_transpose_case(in_shape, filters, kernel, strides, padding, output_padding, dilation, data_format):
    batch, rows, cols, channels = in_shape
    x_last = rand(*in_shape)
    k = rand(*kernel, filters, channels) * 0.5
    b = rand(filters)
    x = x_last.permute(0, 3, 1, 2)
    full = F.conv_transpose2d(x, k.permute(3, 2, 0, 1), None, stride=strides, dilation=dilation)
    out = []
    begins = []
    for i, size in enumerate((rows, cols)):
        op = None if output_padding is None else output_padding[i]
        n = transpose_out_len(size, kernel[i], strides[i], padding, op, dilation[i])
        effective = (kernel[i] - 1) * dilation[i] + 1
        # TF derives the padding from the requested output size (forward conv n -> size).
        total = 0 if padding == "valid" else max((size - 1) * strides[i] + effective - n, 0)
        out.append(n)
        begins.append(total // 2)
    y = torch.zeros(batch, filters, out[0], out[1], dtype=torch.float64)
    for r in range(out[0]):
        for c in range(out[1]):
            fr, fc = r + begins[0], c + begins[1]
            if fr < full.shape[2] and fc < full.shape[3]:
                y[:, :, r, c] = full[:, :, fr, fc]
    y = y + b.view(1, -1, 1, 1)
    if data_format == "channels_last":
        y = y.permute(0, 2, 3, 1)
        x_in = x_last
    else:
        x_in = x
    return {
        "config": {"filters": filters, "kernel_size": kernel, "strides": strides, "padding": padding,
                   "output_padding": output_padding, "dilation_rate": dilation, "data_format": data_format},
        "input": to_list(x_in), "kernel": to_list(k), "bias": to_list(b), "output": to_list(y),
    }


def conv_transpose3d_case(in_shape, filters, kernel, strides, padding, output_padding, dilation, data_format):
    batch, *spatial, channels = in_shape
    x_last = rand(*in_shape)
    k = rand(*kernel, filters, channels) * 0.5
    b = rand(filters)
    x = x_last.permute(0, 4, 1, 2, 3)
    full = F.conv_transpose3d(x, k.permute(4, 3, 0, 1, 2), None, stride=strides, dilation=dilation)
    out, begins = [], []
    for i, size in enumerate(spatial):
        op = None if output_padding is None else output_padding[i]
        n = transpose_out_len(size, kernel[i], strides[i], padding, op, dilation[i])
        effective = (kernel[i] - 1) * dilation[i] + 1
        total = 0 if padding == "valid" else max((size - 1) * strides[i] + effective - n, 0)
        out.append(n)
        begins.append(total // 2)
    y = torch.zeros(batch, filters, *out, dtype=torch.float64)
    take = [min(out[i], full.shape[2 + i] - begins[i]) for i in range(3)]
    y[:, :, :take[0], :take[1], :take[2]] = full[:, :, begins[0]:begins[0] + take[0], begins[1]:begins[1] + take[1], begins[2]:begins[2] + take[2]]
    y = y + b.view(1, -1, 1, 1, 1)
    if data_format == "channels_last":
        y = y.permute(0, 2, 3, 4, 1)
        x_in = x_last
    else:
        x_in = x
    return {
        "config": {"filters": filters, "kernel_size": kernel, "strides": strides, "padding": padding,
                   "output_padding": output_padding, "dilation_rate": dilation, "data_format": data_format},
        "input": to_list(x_in), "kernel": to_list(k), "bias": to_list(b), "output": to_list(y),
    }


def depthwise(x, k, strides, padding, dilation, spatial):
    """x: NCHW; k: Keras depthwise kernel (kh, kw, in, mult)."""
    kh, kw, channels, mult = k.shape
    if padding == "same":
        pads = []
        for i in reversed(range(2)):
            pads += list(tf_same_pads(spatial[i], k.shape[i], strides[i], dilation[i]))
        x = F.pad(x, pads)
    weight = k.reshape(kh, kw, channels * mult).permute(2, 0, 1).unsqueeze(1)
    return F.conv2d(x, weight, None, stride=strides, dilation=dilation, groups=channels)


def depthwise_case(in_shape, kernel, mult, strides, padding, dilation, data_format):
    batch, rows, cols, channels = in_shape
    x_last = rand(*in_shape)
    k = rand(*kernel, channels, mult) * 0.5
    b = rand(channels * mult)
    x = x_last.permute(0, 3, 1, 2)
    y = depthwise(x, k, strides, padding, dilation, (rows, cols)) + b.view(1, -1, 1, 1)
    y = y.permute(0, 2, 3, 1) if data_format == "channels_last" else y
    return {
        "config": {"kernel_size": kernel, "depth_multiplier": mult, "strides": strides, "padding": padding,
                   "dilation_rate": dilation, "data_format": data_format},
        "input": to_list(x_last if data_format == "channels_last" else x),
        "kernel": to_list(k), "bias": to_list(b), "output": to_list(y),
    }


def separable_case(in_shape, filters, kernel, mult, strides, padding, dilation, data_format):
    batch, rows, cols, channels = in_shape
    x_last = rand(*in_shape)
    dk = rand(*kernel, channels, mult) * 0.5
    pk = rand(1, 1, channels * mult, filters) * 0.5
    b = rand(filters)
    x = x_last.permute(0, 3, 1, 2)
    d = depthwise(x, dk, strides, padding, dilation, (rows, cols))
    y = F.conv2d(d, pk.permute(3, 2, 0, 1), b)
    y = y.permute(0, 2, 3, 1) if data_format == "channels_last" else y
    return {
        "config": {"filters": filters, "kernel_size": kernel, "depth_multiplier": mult, "strides": strides,
                   "padding": padding, "dilation_rate": dilation, "data_format": data_format},
        "input": to_list(x_last if data_format == "channels_last" else x),
        "depthwise_kernel": to_list(dk), "pointwise_kernel": to_list(pk), "bias": to_list(b), "output": to_list(y),
    }


def as_1d(case, kernel_keys):
    """A 2-D case computed with height 1, turned into the equivalent 1-D case."""
    height_axis = 1 if case["config"]["data_format"] == "channels_last" else 2
    squeeze = lambda values: to_list(torch.tensor(values).squeeze(height_axis))
    case["input"] = squeeze(case["input"])
    case["output"] = squeeze(case["output"])
    for key in kernel_keys:
        case[key] = to_list(torch.tensor(case[key]).squeeze(0))
    for key in ("kernel_size", "strides", "dilation_rate", "output_padding"):
        if case["config"].get(key) is not None:
            case["config"][key] = case["config"][key][1:]
    return case


cases = {
    "conv1d": {
        "valid": conv_case(1, (2, 9, 3), 4, [3], [1], "valid", [1], 1, "channels_last"),
        "same_stride2": conv_case(1, (2, 9, 3), 4, [4], [2], "same", [1], 1, "channels_last"),
        "causal_dilated": conv_case(1, (2, 9, 3), 2, [3], [1], "causal", [2], 1, "channels_last"),
        "same_dilated_channels_first": conv_case(1, (2, 8, 3), 4, [3], [1], "same", [2], 1, "channels_first"),
        "groups": conv_case(1, (2, 7, 4), 6, [2], [1], "valid", [1], 2, "channels_last"),
    },
    "conv2d": {
        "valid": conv_case(2, (2, 6, 5, 3), 4, [3, 3], [1, 1], "valid", [1, 1], 1, "channels_last"),
        "same_stride2": conv_case(2, (2, 7, 6, 2), 3, [3, 2], [2, 2], "same", [1, 1], 1, "channels_last"),
        "same_stride_asym": conv_case(2, (1, 8, 7, 2), 3, [4, 3], [3, 2], "same", [1, 1], 1, "channels_last"),
        "valid_dilated": conv_case(2, (2, 7, 7, 2), 3, [3, 2], [1, 1], "valid", [2, 3], 1, "channels_last"),
        "same_dilated": conv_case(2, (1, 6, 6, 2), 2, [3, 3], [1, 1], "same", [2, 2], 1, "channels_last"),
        "channels_first_same": conv_case(2, (2, 5, 6, 3), 4, [3, 3], [2, 1], "same", [1, 1], 1, "channels_first"),
        "channels_first_valid_dilated": conv_case(2, (1, 7, 6, 2), 3, [2, 2], [1, 1], "valid", [2, 1], 1, "channels_first"),
        "groups": conv_case(2, (2, 5, 5, 4), 6, [3, 3], [1, 1], "same", [1, 1], 2, "channels_last"),
        "no_bias": conv_case(2, (1, 4, 4, 2), 2, [2, 2], [1, 1], "valid", [1, 1], 1, "channels_last", use_bias=False),
    },
    "conv3d": {
        "same": conv_case(3, (1, 4, 5, 4, 2), 3, [2, 3, 2], [1, 2, 1], "same", [1, 1, 1], 1, "channels_last"),
        "valid_channels_first": conv_case(3, (1, 4, 4, 5, 2), 2, [2, 2, 3], [1, 1, 1], "valid", [1, 1, 1], 1, "channels_first"),
    },
    "conv2d_transpose": {
        "valid": conv_transpose_case((2, 3, 4, 2), 3, [3, 3], [1, 1], "valid", None, [1, 1], "channels_last"),
        "valid_stride2": conv_transpose_case((1, 3, 3, 2), 2, [3, 2], [2, 2], "valid", None, [1, 1], "channels_last"),
        "valid_stride_gt_kernel": conv_transpose_case((1, 3, 3, 2), 2, [2, 2], [3, 3], "valid", None, [1, 1], "channels_last"),
        "same_stride2": conv_transpose_case((2, 3, 4, 2), 3, [3, 3], [2, 2], "same", None, [1, 1], "channels_last"),
        "same_stride2_even_kernel": conv_transpose_case((1, 3, 3, 2), 2, [4, 4], [2, 2], "same", None, [1, 1], "channels_last"),
        "valid_output_padding": conv_transpose_case((1, 3, 3, 2), 2, [3, 3], [2, 3], "valid", [1, 2], [1, 1], "channels_last"),
        "same_output_padding": conv_transpose_case((1, 3, 4, 2), 2, [3, 3], [2, 2], "same", [1, 0], [1, 1], "channels_last"),
        "dilated": conv_transpose_case((1, 4, 4, 2), 2, [3, 3], [1, 1], "same", None, [2, 2], "channels_last"),
        "channels_first": conv_transpose_case((2, 3, 3, 3), 2, [2, 3], [2, 1], "valid", None, [1, 1], "channels_first"),
    },
    "conv1d_transpose": {
        "valid_stride2": as_1d(conv_transpose_case((2, 1, 5, 3), 2, [1, 3], [1, 2], "valid", None, [1, 1], "channels_last"), ["kernel"]),
        "same_stride3_even_kernel": as_1d(conv_transpose_case((1, 1, 4, 2), 3, [1, 4], [1, 3], "same", None, [1, 1], "channels_last"), ["kernel"]),
        "valid_output_padding": as_1d(conv_transpose_case((1, 1, 4, 2), 2, [1, 3], [1, 3], "valid", [0, 2], [1, 1], "channels_last"), ["kernel"]),
        "dilated_channels_first": as_1d(conv_transpose_case((2, 1, 5, 2), 3, [1, 3], [1, 1], "same", None, [1, 2], "channels_first"), ["kernel"]),
    },
    "depthwise_conv1d": {
        "valid": as_1d(depthwise_case((2, 1, 7, 3), [1, 3], 1, [1, 1], "valid", [1, 1], "channels_last"), ["kernel"]),
        "same_multiplier2_stride2": as_1d(depthwise_case((2, 1, 9, 2), [1, 4], 2, [1, 2], "same", [1, 1], "channels_last"), ["kernel"]),
        "dilated_channels_first": as_1d(depthwise_case((1, 1, 8, 2), [1, 3], 2, [1, 1], "same", [1, 2], "channels_first"), ["kernel"]),
    },
    "separable_conv1d": {
        "valid": as_1d(separable_case((2, 1, 7, 3), 4, [1, 3], 1, [1, 1], "valid", [1, 1], "channels_last"), ["depthwise_kernel", "pointwise_kernel"]),
        "same_multiplier2_stride2": as_1d(separable_case((2, 1, 9, 2), 3, [1, 3], 2, [1, 2], "same", [1, 1], "channels_last"), ["depthwise_kernel", "pointwise_kernel"]),
        "dilated_channels_first": as_1d(separable_case((1, 1, 8, 2), 2, [1, 2], 1, [1, 1], "valid", [1, 3], "channels_first"), ["depthwise_kernel", "pointwise_kernel"]),
    },
    "conv3d_transpose": {
        "valid_stride2": conv_transpose3d_case((1, 2, 3, 2, 2), 2, [2, 3, 2], [2, 2, 1], "valid", None, [1, 1, 1], "channels_last"),
        "same_stride2": conv_transpose3d_case((2, 2, 2, 3, 2), 3, [3, 3, 2], [2, 2, 2], "same", None, [1, 1, 1], "channels_last"),
        "valid_output_padding_channels_first": conv_transpose3d_case((1, 2, 2, 2, 3), 2, [2, 2, 2], [3, 2, 2], "valid", [2, 1, 0], [1, 1, 1], "channels_first"),
        "same_dilated": conv_transpose3d_case((1, 3, 3, 3, 2), 2, [2, 2, 2], [1, 1, 1], "same", None, [2, 2, 1], "channels_last"),
    },
    "depthwise_conv2d": {
        "valid": depthwise_case((2, 5, 5, 3), [3, 3], 1, [1, 1], "valid", [1, 1], "channels_last"),
        "same_multiplier2_stride2": depthwise_case((2, 6, 5, 2), [3, 3], 2, [2, 2], "same", [1, 1], "channels_last"),
        "dilated": depthwise_case((1, 7, 7, 2), [3, 2], 1, [1, 1], "same", [2, 2], "channels_last"),
        "channels_first": depthwise_case((2, 5, 4, 3), [2, 2], 2, [1, 1], "valid", [1, 1], "channels_first"),
    },
    "separable_conv2d": {
        "valid": separable_case((2, 5, 5, 3), 4, [3, 3], 1, [1, 1], "valid", [1, 1], "channels_last"),
        "same_multiplier2_stride2": separable_case((2, 6, 6, 2), 3, [3, 3], 2, [2, 2], "same", [1, 1], "channels_last"),
        "dilated": separable_case((1, 7, 6, 2), 3, [2, 2], 1, [1, 1], "valid", [2, 2], "channels_last"),
        "channels_first": separable_case((2, 5, 5, 3), 2, [3, 2], 1, [1, 1], "same", [1, 1], "channels_first"),
    },
}

with open("conv.fixture.json", "w") as f:
    json.dump(cases, f, separators=(",", ":"))
