"""Step 2 of the hand-off, in Keras 3 (any backend: JAX, TensorFlow or PyTorch; any hardware).

Loads the compiled model Strata saved, trains it on the data Strata wrote, saves the trained
model and Keras's own predictions for Strata to check. Usage: python train_in_keras.py DIR
"""
import sys

import keras
import numpy as np

folder = sys.argv[1]
keras.utils.set_random_seed(1)
model = keras.saving.load_model(f"{folder}/model.keras")  # compiled: adam + binary_crossentropy
x = np.load(f"{folder}/x.npy")
y = np.load(f"{folder}/y.npy")
# On a multi-GPU machine, wrap this in a keras.distribution (e.g. DataParallel on JAX).
history = model.fit(x, y, batch_size=32, epochs=30, validation_split=0.2, verbose=0)
print(f"keras {keras.__version__} ({keras.backend.backend()}): val_accuracy {history.history['val_accuracy'][-1]:.3f}")
model.save(f"{folder}/trained.keras")
np.save(f"{folder}/keras_pred.npy", model.predict(x, verbose=0).astype("float32"))
