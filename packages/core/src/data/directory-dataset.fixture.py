"""Keras 3.15.1's file order, labels and validation splits of its directory datasets, for
textDatasetFromDirectory / imageDatasetFromDirectory. Keras's `index_directory` and
`get_training_or_validation_split` need no TensorFlow, so they run here on a folder built from
TREE (the test builds the same folder in a temp dir). The datasets themselves need TensorFlow,
which the Keras oracle lacks, so only the indexing is compared.

Run (see ../../../../../shared/keras3-golden/README.md for the Keras set-up):
  . /tmp/keras-oracle/kenv.sh && $PY directory-dataset.fixture.py
Writes directory-dataset.fixture.json (committed).
"""
import json
import os
import tempfile

from keras.src.utils import dataset_utils

# Relative paths of the files to create (content does not matter for indexing).
TREE = [
    "dogs/b.txt", "dogs/a.TXT", "dogs/z.md", "dogs/sub/c.txt", "dogs/sub b/d.txt", "dogs/sub/deeper/e.txt",
    "cats/1.txt", "cats/10.txt", "cats/2.txt", ".hidden/x.txt", "Zebras/q.txt", "birds/only.png", "a.txt",
    "cats/img.PNG", "cats/photo.jpg", "dogs/pic.jpeg", "birds/anim.gif",
]

with tempfile.TemporaryDirectory() as root:
    for rel in TREE:
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, "w").close()
    os.makedirs(os.path.join(root, "empty"), exist_ok=True)

    def index(formats, **kwargs):
        paths, labels, names = dataset_utils.index_directory(root, formats=formats, verbose=False, **kwargs)
        rel = [os.path.relpath(p, root) for p in paths]
        return {"paths": rel, "labels": None if labels is None else [int(l) for l in labels], "class_names": names}

    cases = []
    for name, formats, kwargs in [
        ("text_sorted", (".txt",), dict(labels="inferred", shuffle=False)),
        ("text_shuffled_1337", (".txt",), dict(labels="inferred", shuffle=True, seed=1337)),
        ("text_class_names", (".txt",), dict(labels="inferred", class_names=["dogs", "cats"], shuffle=False)),
        ("text_no_labels", (".txt",), dict(labels=None, shuffle=True, seed=7)),
        ("images_shuffled_42", (".bmp", ".gif", ".jpeg", ".jpg", ".png"), dict(labels="inferred", shuffle=True, seed=42)),
    ]:
        case = {"name": name, "formats": list(formats), "kwargs": kwargs, **index(formats, **kwargs)}
        splits = {}
        for split in (0.2, 0.5):
            train = dataset_utils.get_training_or_validation_split(case["paths"], case["labels"], split, "training")
            val = dataset_utils.get_training_or_validation_split(case["paths"], case["labels"], split, "validation")
            splits[str(split)] = {"training": train[0], "validation": val[0]}
        case["splits"] = splits
        cases.append(case)

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "directory-dataset.fixture.json"), "w") as f:
    json.dump({"tree": TREE, "empty_dirs": ["empty"], "cases": cases}, f, indent=1)
print("wrote", len(cases), "cases")
