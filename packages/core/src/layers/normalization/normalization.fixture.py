"""Reference outputs for the normalization layer tests, computed with PyTorch (float64).

Run from this directory with Debian's python3-torch:  /usr/bin/python3 normalization.fixture.py
Writes normalization.fixture.json (committed).

BatchNormalization training output uses torch's F.batch_norm(training=True) (biased batch
variance, as Keras). The moving statistics follow Keras 3, which - unlike torch's running_var -
updates with the *biased* batch variance: moving = moving * momentum + batch * (1 - momentum).
"""
import json

import torch
import torch.nn.functional as F

torch.manual_seed(2024)


def rand(*shape, scale=1.0, shift=0.0):
    return (torch.randn(*shape, dtype=torch.float32) * scale + shift).to(torch.float64)


def to_list(t):
    # 9 significant digits identify a float32 exactly and keep the JSON small.
    def short(v):
        return [short(e) for e in v] if isinstance(v, list) else float("%.9g" % v)
    return short(t.to(torch.float32).tolist())


def batch_norm_case(shape, axis, momentum, epsilon, steps):
    """`steps` training batches, then one inference batch; channels on `axis`."""
    rank = len(shape)
    axis = axis % rank
    channels = shape[axis]
    gamma = rand(channels, scale=0.5, shift=1.0)
    beta = rand(channels, scale=0.5)
    moving_mean = rand(channels, scale=0.1)
    moving_var = rand(channels, scale=0.1, shift=1.0).abs()
    case = {"axis": axis - rank if axis == rank - 1 else axis, "momentum": momentum, "epsilon": epsilon,
            "gamma": to_list(gamma), "beta": to_list(beta),
            "initial_moving_mean": to_list(moving_mean), "initial_moving_variance": to_list(moving_var)}
    batches = []
    for _ in range(steps):
        x = rand(*shape, scale=2.0, shift=0.5)
        x_cf = x.movedim(axis, 1)  # torch wants channels on axis 1
        y = F.batch_norm(x_cf, None, None, gamma, beta, training=True, eps=epsilon).movedim(1, axis)
        dims = [d for d in range(rank) if d != axis]
        mean = x.mean(dim=dims)
        var = x.var(dim=dims, unbiased=False)
        moving_mean = moving_mean * momentum + mean * (1 - momentum)
        moving_var = moving_var * momentum + var * (1 - momentum)
        batches.append({"input": to_list(x), "output": to_list(y),
                        "moving_mean": to_list(moving_mean), "moving_variance": to_list(moving_var)})
    x = rand(*shape)
    shape_b = [1] * rank
    shape_b[axis] = channels
    inference = (x - moving_mean.view(shape_b)) / torch.sqrt(moving_var.view(shape_b) + epsilon) * gamma.view(shape_b) + beta.view(shape_b)
    case["training"] = batches
    case["inference"] = {"input": to_list(x), "output": to_list(inference)}
    return case


def renorm_case(shape, momentum, renorm_momentum, epsilon, clipping, steps):
    """Keras 3 batch renormalization, by hand: r and d correct the batch statistics."""
    channels = shape[-1]
    gamma = rand(channels, scale=0.5, shift=1.0)
    beta = rand(channels, scale=0.5)
    mm = rand(channels, scale=0.2)
    mv = rand(channels, scale=0.2, shift=1.0).abs()
    ms = rand(channels, scale=0.2, shift=1.0).abs()
    rmean = rand(channels, scale=0.5)
    rstd = rand(channels, scale=0.2, shift=0.8).abs()
    case = {"momentum": momentum, "renorm_momentum": renorm_momentum, "epsilon": epsilon, "clipping": clipping,
            "initial": [to_list(v) for v in (gamma, beta, mm, mv, ms, rmean, rstd)]}
    steps_out = []
    for _ in range(steps):
        x = rand(*shape, scale=2.0, shift=0.7)
        dims = list(range(len(shape) - 1))
        mean = x.mean(dim=dims)
        var = x.var(dim=dims, unbiased=False)
        std = torch.sqrt(var + epsilon)
        rstd_c = torch.clamp(rstd, min=epsilon ** 0.5)
        r = std / rstd_c
        d = (mean - rmean) / rstd_c
        if "rmin" in clipping:
            r = torch.clamp(r, min=clipping["rmin"])
        if "rmax" in clipping:
            r = torch.clamp(r, max=clipping["rmax"])
        if "dmax" in clipping:
            d = torch.clamp(d, -clipping["dmax"], clipping["dmax"])
        y = (x - mean) / std * (r * gamma) + (d * gamma + beta)
        rmean = rmean * renorm_momentum + mean * (1 - renorm_momentum)
        rstd = rstd * renorm_momentum + std * (1 - renorm_momentum)
        mm = mm * momentum + mean * (1 - momentum)
        ms = ms * momentum + std * (1 - momentum)
        mv = torch.relu(ms * ms - epsilon)
        steps_out.append({"input": to_list(x), "output": to_list(y),
                          "weights": [to_list(v) for v in (gamma, beta, mm, mv, ms, rmean, rstd)]})
    x = rand(*shape)
    y = (x - mm) / torch.sqrt(mv + epsilon) * gamma + beta
    case["training"] = steps_out
    case["inference"] = {"input": to_list(x), "output": to_list(y)}
    return case


def masked_batch_norm_case():
    x = rand(2, 4, 3, scale=2.0)
    mask = torch.tensor([[1, 1, 0, 1], [0, 1, 1, 0]], dtype=torch.bool)
    w = mask.to(torch.float64).unsqueeze(-1)
    count = w.sum(dim=(0, 1))
    mean = (x * w).sum(dim=(0, 1)) / (count + 1e-7)
    var = (((x - mean) ** 2) * w).sum(dim=(0, 1)) / (count + 1e-7)
    y = (x - mean) / torch.sqrt(var + 1e-3)
    return {"input": to_list(x), "mask": mask.tolist(), "output": to_list(y),
            "moving_mean": to_list(mean * 0.01), "moving_variance": to_list(0.99 + var * 0.01)}


def layer_norm_case(shape, axes, epsilon, rms_scaling=False):
    x = rand(*shape, scale=3.0, shift=1.0)
    norm_shape = [shape[a] for a in axes]
    gamma = rand(*norm_shape, scale=0.5, shift=1.0)
    beta = rand(*norm_shape, scale=0.5)
    # Move the normalized axes last so F.layer_norm can do the work.
    others = [d for d in range(len(shape)) if d not in axes]
    perm = others + list(axes)
    xp = x.permute(*perm)
    if rms_scaling:
        var = xp.var(dim=list(range(len(others), len(shape))), unbiased=False, keepdim=True)
        yp = xp / torch.sqrt(var + epsilon) * gamma
    else:
        yp = F.layer_norm(xp, norm_shape, gamma, beta, eps=epsilon)
    inverse = [perm.index(d) for d in range(len(shape))]
    y = yp.permute(*inverse)
    return {"axis": axes, "epsilon": epsilon, "rms_scaling": rms_scaling, "input": to_list(x),
            "gamma": to_list(gamma), "beta": to_list(beta), "output": to_list(y)}


def group_norm_case(shape, groups, axis, epsilon):
    x = rand(*shape, scale=2.0, shift=0.3)
    channels = shape[axis]
    gamma = rand(channels, scale=0.5, shift=1.0)
    beta = rand(channels, scale=0.5)
    y = F.group_norm(x.movedim(axis, 1), groups, gamma, beta, eps=epsilon).movedim(1, axis)
    return {"groups": groups, "axis": axis - len(shape) if axis == len(shape) - 1 else axis, "epsilon": epsilon,
            "input": to_list(x), "gamma": to_list(gamma), "beta": to_list(beta), "output": to_list(y)}


def rms_norm_case(shape, axes, epsilon):
    x = rand(*shape, scale=2.0, shift=0.5)
    scale = rand(*[shape[a] for a in axes], scale=0.5, shift=1.0)
    rms = torch.sqrt((x ** 2).mean(dim=axes, keepdim=True) + epsilon)
    shape_b = [shape[d] if d in axes else 1 for d in range(len(shape))]
    y = x / rms * scale.reshape(shape_b)
    return {"axis": axes, "epsilon": epsilon, "input": to_list(x), "scale": to_list(scale), "output": to_list(y)}


def unit_norm_case(shape, axes):
    x = rand(*shape, scale=2.0)
    y = x / torch.sqrt((x ** 2).sum(dim=axes, keepdim=True))
    return {"axis": axes, "input": to_list(x), "output": to_list(y)}


cases = {
    "batch_normalization": {
        "dense_axis_last": batch_norm_case((6, 4), -1, 0.99, 1e-3, 2),
        "image_channels_last": batch_norm_case((3, 4, 5, 2), -1, 0.9, 1e-3, 3),
        "image_channels_first_axis1": batch_norm_case((3, 2, 4, 5), 1, 0.8, 1e-5, 2),
        "masked_sequence": masked_batch_norm_case(),
    },
    "batch_renormalization": {
        "unclipped": renorm_case((6, 3), 0.9, 0.8, 1e-3, {}, 2),
        "clipped": renorm_case((2, 3, 3, 2), 0.95, 0.5, 1e-3, {"rmax": 1.5, "rmin": 0.8, "dmax": 0.3}, 2),
    },
    "layer_normalization": {
        "last_axis": layer_norm_case((3, 6), [1], 1e-3),
        "sequence_last_axis": layer_norm_case((2, 4, 5), [2], 1e-3),
        "two_axes": layer_norm_case((2, 3, 4, 2), [2, 3], 1e-5),
        "middle_axis": layer_norm_case((2, 3, 4), [1], 1e-3),
        "rms_scaling": layer_norm_case((3, 5), [1], 1e-3, rms_scaling=True),
    },
    "group_normalization": {
        "channels_last_image": group_norm_case((2, 3, 4, 6), 3, 3, 1e-3),
        "sequence_instance_norm": group_norm_case((2, 5, 4), 4, 2, 1e-3),
        "channels_first_axis1": group_norm_case((2, 4, 3, 3), 2, 1, 1e-5),
    },
    "rms_normalization": {
        "last_axis": rms_norm_case((3, 8), [1], 1e-6),
        "two_axes": rms_norm_case((2, 3, 4), [1, 2], 1e-3),
    },
    "unit_normalization": {
        "last_axis": unit_norm_case((3, 5), [1]),
        "two_axes": unit_norm_case((2, 3, 4), [1, 2]),
    },
}

with open("normalization.fixture.json", "w") as f:
    json.dump(cases, f, separators=(",", ":"))
