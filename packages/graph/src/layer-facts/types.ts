/** The shape of one entry of the layer-facts table. */

/**
 * What a layer class is, as tools reason about it. A class may have several kinds
 * (`Bidirectional` is a wrapper and recurrent; `SpatialDropout2D` is dropout and spatial dropout).
 */
export type LayerKind =
  /** `InputLayer`. */
  | 'input'
  /** A nested model used as a layer (`Sequential`, `Functional`). */
  | 'model'
  /** Dense projections (`Dense`, `EinsumDense`, `DropConnectDense`). */
  | 'dense'
  | 'embedding'
  /** Convolutions (with a {@link LayerFacts.spatialRank}), including `ConvLSTMND`. */
  | 'conv'
  /** Keras 2's unshared-weight convolutions. */
  | 'locally-connected'
  /** Local pooling (`MaxPooling2D`, `AvgPool1D`, adaptive pooling): keeps the spatial rank. */
  | 'pooling'
  /** Global pooling: the boundary where conv feature maps become vectors. */
  | 'global-pooling'
  /** Layers that normalize activations (batch, layer, group, unit, RMS). */
  | 'normalization'
  /** Normalization with batch statistics (`BatchNormalization`, `SyncBatchNormalization`). */
  | 'batch-normalization'
  /** Recurrent layers (RNNs, their `Bidirectional` wrapper, `ConvLSTMND`). */
  | 'recurrent'
  /** RNN cells, which only run inside an `RNN`. */
  | 'rnn-cell'
  /** Layers that wrap another layer (`Bidirectional`, `TimeDistributed`). */
  | 'wrapper'
  /** Pure activation layers. */
  | 'activation'
  /** Dropout-like layers that drop or corrupt units (`Dropout`, `SpatialDropoutND`, `GaussianDropout`, `AlphaDropout`, `DropBlock2D`). */
  | 'dropout'
  /** `SpatialDropout1D/2D/3D`: drops whole feature maps. */
  | 'spatial-dropout'
  /** Additive noise (`GaussianNoise`). */
  | 'noise'
  /** Drops whole residual branches (`StochasticDepth`, `DropPath`). */
  | 'branch-drop'
  /** Element-wise merges and concatenation of several tensors (not `Dot`). */
  | 'merge'
  /** `Dot`: contracts two tensors. */
  | 'dot'
  | 'attention'
  | 'identity'
  /** `Masking`: zeroes masked timesteps and sets the mask. */
  | 'masking'
  /** `Flatten`, `Reshape`: the same values in another shape. */
  | 'reshape'
  | 'permute'
  | 'repeat'
  | 'padding'
  | 'cropping'
  | 'upsampling'
  /** `ActivityRegularization`. */
  | 'regularization'
  /** Input preprocessing (`Rescaling`, `Normalization`). */
  | 'preprocessing';

/**
 * How a layer's parameter count follows from its config and input shape (the variables its
 * Keras `build()` creates); see `countLayerParams`. `'none'`: it creates no variables;
 * `'unknown'`: not modelled (the count is reported as unknown).
 */
export type ParamRule =
  | 'none'
  | 'unknown'
  /** Counted from the nested model's own layers by the caller. */
  | 'model'
  | 'dense'
  | 'embedding'
  | 'conv'
  | 'conv-transpose'
  | 'depthwise-conv'
  | 'separable-conv'
  | 'batch-normalization'
  | 'layer-normalization'
  /** The preprocessing `Normalization`: adapted mean, variance and count (none when given). */
  | 'normalization'
  | 'prelu'
  | 'simple-rnn'
  | 'lstm'
  | 'gru'
  | 'attention'
  | 'additive-attention'
  | 'multi-head-attention'
  | 'bidirectional'
  | 'time-distributed';

/** Everything the tools share about one layer class. */
export interface LayerFacts {
  /** The canonical Keras class name (what an alias resolves to). */
  readonly className: string;
  /** Other names of the same class in Keras files (`Convolution2D`, `MaxPool2D`, …). */
  readonly aliases: readonly string[];
  /** What the layer is; never empty. */
  readonly kinds: readonly LayerKind[];
  /** Spatial rank the class name fixes (`Conv2D` → 2, `MaxPooling1D` → 1), when it has one. */
  readonly spatialRank?: 1 | 2 | 3;
  /** How its parameters are counted. */
  readonly params: ParamRule;
  /**
   * Keras marks it built in `__init__` (`_build_at_init()`: it has no `build`), so it records
   * no `build_config` and Keras does not write one.
   */
  readonly builtAtInit: boolean;
  /**
   * It holds trainable weight matrices that map its input to a new representation
   * (Dense, convolutions, RNNs, Embedding, MultiHeadAttention, …).
   */
  readonly weightMatrices: boolean;
  /** Its config holds `dropout` / `recurrent_dropout` directly (RNN layers and cells). */
  readonly rnnDropoutConfig: boolean;
}
