"""Checks files written by `strata convert` with REAL Keras 3 (not run by the tests: they cannot
depend on Python). For each converted .keras: Keras loads it, predicts, and the output is compared
with the reference (a golden's stored Keras output, or Keras's prediction from the original file);
and its model.weights.h5 layout (dataset paths, shapes, dtypes; optimizer state left out, since convert does not carry it) is compared with the layout of a
.keras that Keras itself wrote for the same model (the golden's model.keras, or the original file
re-saved by Keras).

Usage: . /tmp/keras-oracle/kenv.sh && $PY check_converted_with_keras.py JOBS.json
JOBS = [{"converted": path, "original": path, "inputs": [npy...], "expected": [npy...] | null,
         "keras_written": path | null}, ...]
"""
import io
import json
import sys
import tempfile
import warnings
import zipfile

warnings.filterwarnings("ignore")
import h5py  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402


def layout(path):
    data = zipfile.ZipFile(path).read("model.weights.h5")
    out = {}
    with h5py.File(io.BytesIO(data), "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                if not name.startswith("optimizer/"):
                    out[name] = (tuple(obj.shape), str(obj.dtype))
        f.visititems(visit)
    return out


def random_inputs(model):
    """Inputs for a model without stored ones: small ints when an Embedding reads them, else normals."""
    rng = np.random.default_rng(7)
    embedding_inputs = {id(t) for l in model.layers if type(l).__name__ == "Embedding" for t in keras.tree.flatten(l.input)}
    out = []
    for tensor in model.inputs:
        shape = [2 if d is None else d for d in tensor.shape]
        if id(tensor) in embedding_inputs or "int" in str(tensor.dtype):
            out.append(rng.integers(0, 4, size=shape).astype("float32"))
        else:
            out.append(rng.normal(size=shape).astype("float32"))
    return out


def as_list(pred):
    return [np.asarray(p) for p in (pred if isinstance(pred, (list, tuple)) else [pred])]


results = []
for job in json.load(open(sys.argv[1])):
    row = {"converted": job["converted"]}
    try:
        model = keras.saving.load_model(job["converted"], compile=False)
        row["loads"] = True
        x = [np.load(p) for p in job["inputs"]] if job.get("inputs") else random_inputs(model)
        got = as_list(model.predict(x if len(x) > 1 else x[0], verbose=0))
        if job.get("expected"):
            want = [np.load(p) for p in job["expected"]]
        else:
            try:
                original = keras.saving.load_model(job["original"], compile=False)
            except Exception as e:  # noqa: BLE001
                # Keras 3 cannot read every original (TF.js, tf.keras 2 graph features): load check only.
                original = None
                row["original_not_loadable_by_keras"] = f"{type(e).__name__}: {e}"[:160]
                row["outputs_finite"] = bool(all(np.all(np.isfinite(g)) for g in got))
            if original is not None:
                want = as_list(original.predict(x if len(x) > 1 else x[0], verbose=0))
                keras_written = tempfile.mktemp(suffix=".keras")
                original.save(keras_written)
                job["keras_written"] = job.get("keras_written") or keras_written
            else:
                want = None
        if want is not None:
            row["max_abs_diff"] = float(max(np.max(np.abs(g - w)) for g, w in zip(got, want)))
        if job.get("keras_written"):
            mine, theirs = layout(job["converted"]), layout(job["keras_written"])
            row["layout_equal"] = mine == theirs
            if mine != theirs:
                row["layout_diff"] = {"only_converted": sorted(set(mine) - set(theirs)), "only_keras": sorted(set(theirs) - set(mine)),
                                      "different": sorted(k for k in set(mine) & set(theirs) if mine[k] != theirs[k])}
    except Exception as e:  # noqa: BLE001
        row["error"] = f"{type(e).__name__}: {e}"[:400]
    results.append(row)
    print(json.dumps(row), flush=True)
