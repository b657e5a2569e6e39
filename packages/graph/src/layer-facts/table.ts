/**
 * The one table of layer facts: per Keras class name, its kinds, spatial rank, parameter rule,
 * whether Keras builds it at init, and its aliases. Lint, dropout, the CLI and core's saving
 * all read it (through `queries.ts`), so a fact is written once.
 */
import type { LayerFacts, LayerKind, ParamRule } from './types.js';

type Rank = 1 | 2 | 3;

interface Spec {
  kinds: readonly LayerKind[];
  params: ParamRule;
  aliases?: readonly string[];
  spatialRank?: Rank;
  builtAtInit?: true;
  weightMatrices?: true;
  rnnDropoutConfig?: true;
}

const RANKS: readonly Rank[] = [1, 2, 3];

/** One spec per rank: `name(rank)` → spec (e.g. `Conv1D`, `Conv2D`, `Conv3D`). */
function perRank(
  ranks: readonly Rank[],
  name: (rank: Rank) => string,
  spec: (rank: Rank) => Omit<Spec, 'spatialRank'>,
): [string, Spec][] {
  return ranks.map((rank) => [name(rank), { ...spec(rank), spatialRank: rank }]);
}

const noParams = (kinds: readonly LayerKind[], extra: Partial<Spec> = {}): Spec => ({
  kinds,
  params: 'none',
  ...extra,
});
const activation = (params: ParamRule = 'none', builtAtInit = true): Spec => ({
  kinds: ['activation'],
  params,
  ...(builtAtInit ? { builtAtInit: true } : {}),
});
const dropout = (extra: Partial<Spec> = {}): Spec => noParams(['dropout'], { builtAtInit: true, ...extra });
const weighted = (kinds: readonly LayerKind[], params: ParamRule, extra: Partial<Spec> = {}): Spec => ({
  kinds,
  params,
  weightMatrices: true,
  ...extra,
});
const recurrent = (params: ParamRule): Spec => weighted(['recurrent'], params, { rnnDropoutConfig: true });
const cell: Spec = { kinds: ['rnn-cell'], params: 'unknown', rnnDropoutConfig: true };
const merge = noParams(['merge']);

const SPECS: [string, Spec][] = [
  // Core
  ['InputLayer', noParams(['input'])],
  ['Functional', { kinds: ['model'], params: 'model', aliases: ['Model'] }],
  ['Sequential', { kinds: ['model'], params: 'model' }],
  ['Dense', weighted(['dense'], 'dense')],
  ['EinsumDense', weighted(['dense'], 'unknown')],
  ['DropConnectDense', weighted(['dense'], 'dense')],
  ['Embedding', weighted(['embedding'], 'embedding')],
  ['Identity', noParams(['identity'], { builtAtInit: true })],
  ['Masking', noParams(['masking'], { builtAtInit: true })],
  ['Rescaling', noParams(['preprocessing'])],
  ['Normalization', { kinds: ['preprocessing'], params: 'normalization' }],
  // Lookup tables are not Keras variables (count_params() is 0).
  ['StringLookup', noParams(['preprocessing'])],
  ['IntegerLookup', noParams(['preprocessing'])],
  ['TextVectorization', noParams(['preprocessing'])],
  // Activations
  ['Activation', activation()],
  ['ReLU', activation()],
  ['LeakyReLU', activation()],
  ['ELU', activation()],
  ['Softmax', activation()],
  ['PReLU', activation('prelu', false)],
  ['ThresholdedReLU', activation('none', false)],
  // Regularization
  ['Dropout', dropout()],
  ...perRank(
    RANKS,
    (r) => `SpatialDropout${r}D`,
    () => dropout({ kinds: ['dropout', 'spatial-dropout'] }),
  ),
  ['GaussianDropout', dropout()],
  ['AlphaDropout', dropout()],
  ['GaussianNoise', noParams(['noise'], { builtAtInit: true })],
  ['ActivityRegularization', noParams(['regularization'], { builtAtInit: true })],
  ['DropBlock2D', noParams(['dropout'], { spatialRank: 2 })],
  ['StochasticDepth', noParams(['branch-drop'])],
  ['DropPath', noParams(['branch-drop'])],
  // Convolutions (Keras 1/2 names as aliases)
  ...perRank(
    RANKS,
    (r) => `Conv${r}D`,
    (r) => weighted(['conv'], 'conv', { aliases: [`Convolution${r}D`] }),
  ),
  ...perRank(
    RANKS,
    (r) => `Conv${r}DTranspose`,
    (r) =>
      weighted(['conv'], 'conv-transpose', {
        aliases: [`Convolution${r}DTranspose`, ...(r > 1 ? [`Deconvolution${r}D`] : [])],
      }),
  ),
  ...perRank(
    [1, 2],
    (r) => `SeparableConv${r}D`,
    (r) => weighted(['conv'], 'separable-conv', { aliases: [`SeparableConvolution${r}D`] }),
  ),
  ...perRank(
    [1, 2],
    (r) => `DepthwiseConv${r}D`,
    () => weighted(['conv'], 'depthwise-conv'),
  ),
  ...perRank(
    [1, 2],
    (r) => `AtrousConvolution${r}D`,
    () => weighted(['conv'], 'unknown'),
  ),
  ...perRank(
    RANKS,
    (r) => `ConvLSTM${r}D`,
    () => weighted(['recurrent', 'conv'], 'unknown', { rnnDropoutConfig: true }),
  ),
  ...perRank(
    [1, 2],
    (r) => `LocallyConnected${r}D`,
    () => weighted(['locally-connected'], 'unknown'),
  ),
  // Pooling (Keras 2 short names as aliases)
  ...perRank(
    RANKS,
    (r) => `MaxPooling${r}D`,
    (r) => noParams(['pooling'], { builtAtInit: true, aliases: [`MaxPool${r}D`] }),
  ),
  ...perRank(
    RANKS,
    (r) => `AveragePooling${r}D`,
    (r) => noParams(['pooling'], { builtAtInit: true, aliases: [`AvgPool${r}D`] }),
  ),
  ...perRank(
    RANKS,
    (r) => `AdaptiveMaxPooling${r}D`,
    () => noParams(['pooling']),
  ),
  ...perRank(
    RANKS,
    (r) => `AdaptiveAveragePooling${r}D`,
    () => noParams(['pooling']),
  ),
  ...perRank(
    RANKS,
    (r) => `GlobalMaxPooling${r}D`,
    (r) => noParams(['global-pooling'], { builtAtInit: true, aliases: [`GlobalMaxPool${r}D`] }),
  ),
  ...perRank(
    RANKS,
    (r) => `GlobalAveragePooling${r}D`,
    (r) => noParams(['global-pooling'], { builtAtInit: true, aliases: [`GlobalAvgPool${r}D`] }),
  ),
  // Normalization
  ['BatchNormalization', { kinds: ['normalization', 'batch-normalization'], params: 'batch-normalization' }],
  ['SyncBatchNormalization', { kinds: ['normalization', 'batch-normalization'], params: 'batch-normalization' }],
  ['LayerNormalization', { kinds: ['normalization'], params: 'layer-normalization' }],
  ['GroupNormalization', { kinds: ['normalization'], params: 'unknown' }],
  ['RMSNormalization', { kinds: ['normalization'], params: 'unknown' }],
  ['UnitNormalization', noParams(['normalization'], { builtAtInit: true })],
  // Merging
  ['Add', merge],
  ['Subtract', merge],
  ['Multiply', merge],
  ['Average', merge],
  ['Maximum', merge],
  ['Minimum', merge],
  ['Concatenate', merge],
  ['Dot', noParams(['dot'])],
  // Reshaping
  ['Flatten', noParams(['reshape'])],
  ['Reshape', noParams(['reshape'])],
  ['Permute', noParams(['permute'])],
  ['RepeatVector', noParams(['repeat'])],
  ...perRank(
    RANKS,
    (r) => `ZeroPadding${r}D`,
    () => noParams(['padding']),
  ),
  ...perRank(
    RANKS,
    (r) => `Cropping${r}D`,
    () => noParams(['cropping']),
  ),
  ...perRank(
    RANKS,
    (r) => `UpSampling${r}D`,
    () => noParams(['upsampling']),
  ),
  // Recurrent
  ['SimpleRNN', recurrent('simple-rnn')],
  ['LSTM', recurrent('lstm')],
  ['GRU', recurrent('gru')],
  ['WeightDropLSTM', recurrent('lstm')],
  ['CuDNNLSTM', weighted(['recurrent'], 'unknown')],
  ['CuDNNGRU', weighted(['recurrent'], 'unknown')],
  ['RNN', weighted(['recurrent'], 'unknown')],
  ['SimpleRNNCell', cell],
  ['LSTMCell', cell],
  ['GRUCell', cell],
  ['WeightDropLSTMCell', cell],
  ['StackedRNNCells', { kinds: ['rnn-cell'], params: 'unknown' }],
  ['Bidirectional', weighted(['wrapper', 'recurrent'], 'bidirectional')],
  ['TimeDistributed', { kinds: ['wrapper'], params: 'time-distributed' }],
  // Attention
  ['Attention', { kinds: ['attention'], params: 'attention' }],
  ['AdditiveAttention', { kinds: ['attention'], params: 'additive-attention' }],
  ['MultiHeadAttention', weighted(['attention'], 'multi-head-attention')],
  ['GroupQueryAttention', weighted(['attention'], 'unknown')],
];

function toFacts(className: string, spec: Spec): LayerFacts {
  const facts: LayerFacts = {
    className,
    aliases: spec.aliases ?? [],
    kinds: spec.kinds,
    params: spec.params,
    builtAtInit: spec.builtAtInit === true,
    weightMatrices: spec.weightMatrices === true,
    rnnDropoutConfig: spec.rnnDropoutConfig === true,
    ...(spec.spatialRank !== undefined ? { spatialRank: spec.spatialRank } : {}),
  };
  return Object.freeze(facts);
}

function buildTable(): ReadonlyMap<string, LayerFacts> {
  const table = new Map<string, LayerFacts>();
  for (const [className, spec] of SPECS) {
    const facts = toFacts(className, spec);
    for (const name of [className, ...facts.aliases]) {
      if (table.has(name)) throw new Error(`layer facts: "${name}" is defined twice`);
      table.set(name, facts);
    }
  }
  return table;
}

/** Every class name and alias → its facts (a Map: names from files are never looked up on an object). */
export const LAYER_FACTS: ReadonlyMap<string, LayerFacts> = buildTable();
