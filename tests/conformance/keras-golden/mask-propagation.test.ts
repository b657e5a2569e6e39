/**
 * Masks between stacked recurrent layers, as Keras 3.15.1 (the release) propagates them: the
 * `mask_embedding_*` goldens record each call's mask explicitly (the `mask` kwarg from a
 * `NotEqual` op), which the predict suite follows. Here the same architectures are built in code,
 * where the mask is propagated implicitly (Embedding(maskZero) → RNN with returnSequences passes
 * it on → next RNN / TimeDistributed), given the golden weights, and must predict the same values,
 * padded steps included.
 */
import { Input, Model, layers, loadModel, tf, type KerasTensor } from '@strata/core';
import { describe, expect, it } from 'vitest';
import { HAVE_GOLDENS, SKIP_REASON, goldenPath, maxAbsDiff, npyTensor, readNpy } from './manifest.js';

if (!HAVE_GOLDENS) console.warn(SKIP_REASON);

const BUILDERS: Record<string, (x: KerasTensor) => KerasTensor> = {
  mask_embedding_lstm_lstm: (x) => new layers.LSTM(5).apply(new layers.LSTM(6, { returnSequences: true }).apply(x)),
  mask_embedding_gru_seq: (x) => new layers.GRU(6, { returnSequences: true }).apply(x),
  mask_embedding_lstm_seq_dense: (x) =>
    new layers.TimeDistributed(new layers.Dense(2)).apply(new layers.LSTM(6, { returnSequences: true }).apply(x)),
};

describe.skipIf(!HAVE_GOLDENS)(
  `implicit mask propagation matches Keras 3.15.1${HAVE_GOLDENS ? '' : ' — SKIPPED, ../shared/keras3-golden absent'}`,
  () => {
    it.each(Object.keys(BUILDERS))('%s built in code', async (name) => {
      const golden = await loadModel(goldenPath(`cases/${name}/model.keras`), { compile: false });
      const input = Input([12], { dtype: 'int32' });
      const model = new Model({
        inputs: input,
        outputs: BUILDERS[name]!(new layers.Embedding(50, 8, { maskZero: true }).apply(input)),
      });
      const weights = golden.getWeights();
      model.setWeights(weights);
      const x = npyTensor(`cases/${name}/x0.npy`);
      const y = model.predict(x) as tf.Tensor;
      const diff = maxAbsDiff(y.dataSync(), readNpy(`cases/${name}/y0.npy`).data);
      tf.dispose([...weights, x, y]);
      model.dispose();
      golden.dispose();
      expect(diff).toBeLessThanOrEqual(1e-5);
    });
  },
);
