/**
 * The variational autoencoder of keras.io's "Variational AutoEncoder" example
 * (https://keras.io/examples/generative/vae/), ported to Strata: a convolutional encoder whose
 * `Sampling` layer draws `z` from (zMean, zLogVar), a transposed-convolution decoder, and a
 * model with a custom `trainStep` (reconstruction + KL loss, three metric trackers).
 */
import {
  GradientTape,
  Input,
  Layer,
  Model,
  SeedGenerator,
  layers,
  losses,
  metrics,
  tf,
  type Batch,
  type CallContext,
  type KerasTensor,
  type LayerArgs,
  type TensorOrList,
  callbacks,
} from '@strata/core';

/** A tensor shape as layers see it (`null`: the batch dimension). */
type Shape = readonly (number | null)[];

/** Uses (zMean, zLogVar) to sample z, the vector encoding a digit: `zMean + exp(zLogVar / 2) * ε`. */
export class Sampling extends Layer {
  static override readonly className: string = 'Sampling';
  private readonly seedGenerator: SeedGenerator;

  constructor(args: LayerArgs & { seed?: number } = {}) {
    super(args);
    this.seedGenerator = new SeedGenerator(args.seed ?? 1337);
  }

  call(inputs: TensorOrList, _context: CallContext): tf.Tensor {
    const [zMean, zLogVar] = inputs as tf.Tensor[];
    return tf.tidy(() => {
      const epsilon = tf.randomNormal(zMean!.shape, 0, 1, 'float32', this.seedGenerator.next());
      return tf.add(zMean!, tf.mul(tf.exp(tf.mul(0.5, zLogVar!)), epsilon));
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (inputShape as Shape[])[0]!;
  }
}

/** The encoder: 28×28×1 image → [zMean, zLogVar, z]. */
export function buildEncoder(latentDim = 2): Model {
  const encoderInputs = Input([28, 28, 1]);
  let x = new layers.Conv2D(32, { kernelSize: 3, activation: 'relu', strides: 2, padding: 'same' }).apply(
    encoderInputs,
  );
  x = new layers.Conv2D(64, { kernelSize: 3, activation: 'relu', strides: 2, padding: 'same' }).apply(x);
  x = new layers.Flatten().apply(x);
  x = new layers.Dense(16, { activation: 'relu' }).apply(x);
  const zMean = new layers.Dense(latentDim, { name: 'z_mean' }).apply(x);
  const zLogVar = new layers.Dense(latentDim, { name: 'z_log_var' }).apply(x);
  const z = new Sampling().apply([zMean, zLogVar]);
  return new Model(encoderInputs, [zMean, zLogVar, z], { name: 'encoder' });
}

/** The decoder: a latent vector → a 28×28×1 image with pixel probabilities. */
export function buildDecoder(latentDim = 2): Model {
  const latentInputs = Input([latentDim]);
  let x: KerasTensor = new layers.Dense(7 * 7 * 64, { activation: 'relu' }).apply(latentInputs);
  x = new layers.Reshape([7, 7, 64]).apply(x);
  x = new layers.Conv2DTranspose(64, { kernelSize: 3, activation: 'relu', strides: 2, padding: 'same' }).apply(x);
  x = new layers.Conv2DTranspose(32, { kernelSize: 3, activation: 'relu', strides: 2, padding: 'same' }).apply(x);
  const decoderOutputs = new layers.Conv2DTranspose(1, { kernelSize: 3, activation: 'sigmoid', padding: 'same' }).apply(
    x,
  );
  return new Model(latentInputs, decoderOutputs, { name: 'decoder' });
}

/** The VAE: encoder and decoder trained together by a custom step, as Keras's `VAE(keras.Model)`. */
export class VAE extends Model {
  readonly totalLossTracker = new metrics.Mean('total_loss');
  readonly reconstructionLossTracker = new metrics.Mean('reconstruction_loss');
  readonly klLossTracker = new metrics.Mean('kl_loss');

  constructor(
    readonly encoder: Model,
    readonly decoder: Model,
    args: LayerArgs = {},
  ) {
    super({ name: args.name ?? 'vae' });
    // A subclassed model owns the layers it uses (Keras tracks attributes): their weights are its weights.
    this.setTrackedLayers([encoder, decoder]);
    // Built: its parts are (a subclassed model has no graph of its own to build from data).
    this.built = true;
  }

  /** The trackers: `fit` resets them each epoch and shows them in its logs. */
  override get metrics(): metrics.Metric[] {
    return [this.totalLossTracker, this.reconstructionLossTracker, this.klLossTracker];
  }

  override trainStep(data: Batch): callbacks.Logs {
    const images = data.x[0]!;
    const tape = new GradientTape();
    try {
      const { loss, reconstructionLoss, klLoss } = tape.record(() => {
        const [zMean, zLogVar, z] = this.encoder.applyMulti(images, { training: true });
        const reconstruction = this.decoder.apply(z!, { training: true });
        // binary_crossentropy averages over the last axis (1 channel); sum over the pixels, mean over the batch.
        const reconstructionLoss = tf.mean(
          tf.sum(losses.binaryCrossentropy(images, reconstruction), [1, 2]),
        ) as tf.Scalar;
        const kl = tf.mul(-0.5, tf.sub(tf.sub(tf.add(1, zLogVar!), tf.square(zMean!)), tf.exp(zLogVar!)));
        const klLoss = tf.mean(tf.sum(kl, 1)) as tf.Scalar;
        return { loss: tf.add(reconstructionLoss, klLoss) as tf.Scalar, reconstructionLoss, klLoss };
      });
      this.optimizer.applyGradients(tape.gradient(loss, this.trainableWeights), this.trainableWeights);
      this.totalLossTracker.updateState(loss);
      this.reconstructionLossTracker.updateState(reconstructionLoss);
      this.klLossTracker.updateState(klLoss);
    } finally {
      tape.dispose();
    }
    return {
      loss: this.totalLossTracker.result(),
      reconstruction_loss: this.reconstructionLossTracker.result(),
      kl_loss: this.klLossTracker.result(),
    };
  }
}
