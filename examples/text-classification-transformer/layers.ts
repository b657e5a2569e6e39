/**
 * The two custom layers of Keras's "Text classification with Transformer"
 * (keras.io/examples/nlp/text_classification_with_transformer), as `Layer` subclasses that own
 * built-in layers: `TransformerBlock` and `TokenAndPositionEmbedding`.
 */
import {
  Layer,
  Sequential,
  layers,
  singleInput,
  tf,
  type CallContext,
  type LayerArgs,
  type Shape,
  type TensorOrList,
} from '@strata/core';

/** Self-attention, then a feed-forward network, each with dropout, a residual and LayerNormalization. */
export class TransformerBlock extends Layer {
  static override readonly className = 'TransformerBlock';
  readonly att: layers.MultiHeadAttention;
  readonly ffn: Sequential;
  readonly layernorm1: layers.LayerNormalization;
  readonly layernorm2: layers.LayerNormalization;
  readonly dropout1: layers.Dropout;
  readonly dropout2: layers.Dropout;

  constructor(embedDim: number, numHeads: number, ffDim: number, rate = 0.1, args: LayerArgs = {}) {
    super(args);
    this.att = this.trackLayer(new layers.MultiHeadAttention(numHeads, embedDim));
    this.ffn = this.trackLayer(
      new Sequential([new layers.Dense(ffDim, { activation: 'relu' }), new layers.Dense(embedDim)]),
    );
    this.layernorm1 = this.trackLayer(new layers.LayerNormalization({ epsilon: 1e-6 }));
    this.layernorm2 = this.trackLayer(new layers.LayerNormalization({ epsilon: 1e-6 }));
    this.dropout1 = this.trackLayer(new layers.Dropout(rate));
    this.dropout2 = this.trackLayer(new layers.Dropout(rate));
  }

  // Keras builds sublayers on the first (symbolic) call; here build creates their weights up front so
  // `summary()` and the optimizer see them before the first batch.
  override build(inputShape: Shape): void {
    this.att.maybeBuild([inputShape, inputShape]);
    this.ffn.maybeBuild(inputShape);
    this.layernorm1.maybeBuild(inputShape);
    this.layernorm2.maybeBuild(inputShape);
  }

  call(inputs: TensorOrList, context: CallContext): tf.Tensor {
    const x = singleInput(inputs, this.name);
    const training = { training: context.training };
    return tf.tidy(() => {
      let attnOutput = this.att.invoke([x, x], training) as tf.Tensor;
      attnOutput = this.dropout1.invoke(attnOutput, training) as tf.Tensor;
      const out1 = this.layernorm1.invoke(tf.add(x, attnOutput), {}) as tf.Tensor;
      let ffnOutput = this.ffn.invoke(out1, training) as tf.Tensor;
      ffnOutput = this.dropout2.invoke(ffnOutput, training) as tf.Tensor;
      return this.layernorm2.invoke(tf.add(out1, ffnOutput), {}) as tf.Tensor;
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return inputShape;
  }
}

/** Token embedding plus a learned embedding of each position. */
export class TokenAndPositionEmbedding extends Layer {
  static override readonly className = 'TokenAndPositionEmbedding';
  readonly tokenEmb: layers.Embedding;
  readonly posEmb: layers.Embedding;

  constructor(maxlen: number, vocabSize: number, embedDim: number, args: LayerArgs = {}) {
    super(args);
    this.tokenEmb = this.trackLayer(new layers.Embedding(vocabSize, embedDim));
    this.posEmb = this.trackLayer(new layers.Embedding(maxlen, embedDim));
  }

  override build(inputShape: Shape): void {
    this.tokenEmb.maybeBuild(inputShape);
    this.posEmb.maybeBuild([inputShape[inputShape.length - 1] ?? null]);
  }

  call(inputs: TensorOrList): tf.Tensor {
    const x = singleInput(inputs, this.name);
    return tf.tidy(() => {
      const maxlen = x.shape[x.shape.length - 1]!;
      const positions = this.posEmb.invoke(tf.range(0, maxlen, 1, 'int32'), {}) as tf.Tensor;
      return tf.add(this.tokenEmb.invoke(x, {}) as tf.Tensor, positions);
    });
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape, this.tokenEmb.outputDim];
  }
}
