"""Reference for UpSampling2D(interpolation='bilinear'): PyTorch's bilinear interpolate with
align_corners=False uses half-pixel centers, as Keras 3's image resize does.
Writes up-sampling2d.fixture.json (channels_last arrays). Run: /usr/bin/python3 up-sampling2d.fixture.py"""
import json

import torch
import torch.nn.functional as F

cases = {}
x = torch.tensor([[[[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]], [[0.5, -1.0, 2.0], [7.0, 0.0, -3.0]]]])  # N=1, C=2, H=2, W=3
for name, size in {"2x2": (2, 2), "3x2": (3, 2)}.items():
    y = F.interpolate(x, scale_factor=size, mode="bilinear", align_corners=False)
    cases[name] = {
        "size": list(size),
        "input": x.permute(0, 2, 3, 1).tolist(),
        "output": y.permute(0, 2, 3, 1).tolist(),
    }
with open(__file__.replace(".py", ".json"), "w") as f:
    json.dump(cases, f, indent=1)
