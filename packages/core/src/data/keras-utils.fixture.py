"""Reference outputs of keras.utils helpers, computed by real Keras 3.15.1.

Run (see ../../../../../shared/keras3-golden/README.md for the Keras set-up):
  . /tmp/keras-oracle/kenv.sh && $PY keras-utils.fixture.py
Writes keras-utils.fixture.json (committed).
"""
import json

import numpy as np
import keras
from keras.src.utils import dataset_utils

SEQS = [[1, 2, 3], [4, 5], [], [6, 7, 8, 9, 10], [11]]


def pad_case(**kwargs):
    out = keras.utils.pad_sequences(SEQS, **kwargs)
    return {"kwargs": kwargs, "dtype": str(out.dtype), "shape": list(out.shape), "value": out.tolist()}


def normalize_case(x, axis, order):
    value = keras.utils.normalize(keras.ops.convert_to_tensor(np.array(x, "float32")), axis, order)
    return {"x": x, "axis": axis, "order": order, "value": keras.ops.convert_to_numpy(value).tolist()}


def split_case(n, left_size=None, right_size=None):
    # Keras's split sizes (backend-independent). The content follows Keras's tf.data path: the first
    # `left` samples and the last `right` ones; the torch path shuffles even with shuffle=False
    # (torch's random_split with the default generator), so it is not used as the reference.
    left, right = dataset_utils._rescale_dataset_split_sizes(left_size, right_size, n)
    return {"n": n, "left_size": left_size, "right_size": right_size, "left": left, "right": right}


def split_error(n, left_size=None, right_size=None):
    try:
        dataset_utils._rescale_dataset_split_sizes(left_size, right_size, n)
    except (ValueError, TypeError) as e:
        return {"n": n, "left_size": left_size, "right_size": right_size, "error": str(e)}
    raise AssertionError("expected an error")


cases = {
    "keras_version": keras.__version__,
    "to_categorical": [
        {"x": [0, 2, 1, 3], "num_classes": None, "value": keras.utils.to_categorical([0, 2, 1, 3]).tolist()},
        {"x": [[1], [0], [2]], "num_classes": 4, "value": keras.utils.to_categorical([[1], [0], [2]], 4).tolist()},
        {"x": [[0, 1], [2, 0]], "num_classes": 3, "value": keras.utils.to_categorical([[0, 1], [2, 0]], 3).tolist()},
    ],
    "pad_sequences": [
        pad_case(),
        pad_case(maxlen=3),
        pad_case(maxlen=3, padding="post"),
        pad_case(maxlen=3, truncating="post"),
        pad_case(maxlen=4, padding="post", truncating="post", value=-1),
        pad_case(maxlen=6, dtype="float32", value=0.5),
    ],
    # keras.utils.normalize on a backend tensor (ops.nn.normalize). Its NumPy path ignores axis=0
    # (`axis = axis or -1`), a Keras bug Strata does not copy.
    "normalize": [
        normalize_case([[3, 4], [0, 0], [1, 1]], -1, 2),
        normalize_case([[3, 4], [1, -1]], 0, 1),
        normalize_case([[3, 4], [0, 0]], 0, 2),
    ],
    "split_dataset": [
        split_case(10, left_size=0.8),
        split_case(10, right_size=3),
        split_case(5, left_size=0.5),
        split_case(7, left_size=0.5),
        split_case(7, left_size=2, right_size=3),
        split_case(10, left_size=0.25, right_size=0.25),
        split_case(3, right_size=0.5),
    ],
    "split_dataset_errors": [
        split_error(10, left_size=0.7, right_size=0.5),
        split_error(10, left_size=10),
        split_error(10, left_size=1.5),
        split_error(10, left_size=6, right_size=6),
        split_error(3, left_size=0.1),
    ],
}
with open("keras-utils.fixture.json", "w") as f:
    json.dump(cases, f, indent=1)
print("wrote keras-utils.fixture.json")
