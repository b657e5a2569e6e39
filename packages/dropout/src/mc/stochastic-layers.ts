/**
 * Finding a model's dropout-family layers and switching only them to training mode for a while:
 * the per-layer override behind `mcPredict`. Nothing else (BatchNormalization, …) sees
 * `training: true`, and every change is undone when the function returns or throws.
 */
import { Functional, Layer, SeedGenerator, layers, type CallContext, type TensorOrList } from '../core-api.js';
import { DropBlock2D } from '../layers/drop-block-2d.js';
import { DropConnectDense } from '../layers/drop-connect-dense.js';
import { StochasticDepth } from '../layers/stochastic-depth.js';
import { WeightDropLSTMCell } from '../layers/weight-drop-lstm.js';

type Cell = InstanceType<typeof layers.RNNCell>;

function cellHasDropout(cell: Cell): boolean {
  if (cell instanceof layers.StackedRNNCells) return cell.cells.some(cellHasDropout);
  if (cell instanceof WeightDropLSTMCell && cell.weightDropout > 0) return true;
  const masks = cell.dropoutMasks;
  return masks !== null && (masks.dropout > 0 || masks.recurrentDropout > 0);
}

/**
 * Whether a layer's training mode only switches dropout on: the Keras dropout family
 * (Dropout, SpatialDropout1D/2D/3D, AlphaDropout, GaussianDropout, GaussianNoise), this
 * package's layers, and recurrent layers with `dropout`/`recurrentDropout`/weight dropout.
 */
export function isDropoutFamilyLayer(layer: Layer): boolean {
  if (
    layer instanceof layers.Dropout ||
    layer instanceof layers.GaussianDropout ||
    layer instanceof layers.GaussianNoise ||
    layer instanceof DropBlock2D ||
    layer instanceof StochasticDepth ||
    layer instanceof DropConnectDense
  ) {
    return true;
  }
  return layer instanceof layers.RNN && cellHasDropout(layer.cell);
}

/**
 * The dropout-family layers of a model or layer, searched through nested models and wrappers
 * (TimeDistributed, Bidirectional); `extra` adds custom stochastic layers.
 */
export function findDropoutLayers(root: Layer, extra?: (layer: Layer) => boolean): Layer[] {
  const found: Layer[] = [];
  const seen = new Set<Layer>();
  const visit = (layer: Layer): void => {
    if (seen.has(layer)) return;
    seen.add(layer);
    if (isDropoutFamilyLayer(layer) || extra?.(layer) === true) {
      found.push(layer);
      return;
    }
    // A Sequential model knows its layers before it is built; other layers through tracking.
    for (const sub of layer instanceof Functional ? [...layer.layers, ...layer.trackedLayers] : layer.trackedLayers)
      visit(sub);
  };
  visit(root);
  return found;
}

/** Every SeedGenerator a layer (its sublayers and cells' dropout masks included) draws from, with where it sits. */
function seedSlots(layer: Layer): { owner: Record<string, unknown>; key: string }[] {
  const slots: { owner: Record<string, unknown>; key: string }[] = [];
  const owners: object[] = [];
  const collect = (l: Layer): void => {
    owners.push(l);
    const masks = (l as { dropoutMasks?: unknown }).dropoutMasks;
    if (masks !== null && typeof masks === 'object') owners.push(masks);
    l.trackedLayers.forEach(collect);
  };
  collect(layer);
  for (const owner of owners) {
    for (const key of Object.keys(owner)) {
      if ((owner as Record<string, unknown>)[key] instanceof SeedGenerator)
        slots.push({ owner: owner as Record<string, unknown>, key });
    }
  }
  return slots;
}

/**
 * Runs `fn` with `layers` forced into training mode (their `call` sees `training: true`) and,
 * when `seed` is given, with their random streams replaced by streams derived from it — so a
 * seeded run is reproducible whatever the layers' own seeds. Restores everything afterwards.
 */
export function withTrainingOverride<T>(targets: Layer[], fn: () => T, seed: number | null = null): T {
  const restore: (() => void)[] = [];
  try {
    for (const layer of targets) {
      const own = Object.getOwnPropertyDescriptor(layer, 'call');
      const original = layer.call;
      // An instance property shadows the class's `call` for this layer only.
      Object.defineProperty(layer, 'call', {
        configurable: true,
        writable: true,
        value: (inputs: TensorOrList, context: CallContext) =>
          original.call(layer, inputs, { ...context, training: true }),
      });
      restore.push(() => {
        if (own !== undefined) Object.defineProperty(layer, 'call', own);
        else delete (layer as unknown as Record<string, unknown>)['call'];
      });
    }
    if (seed !== null) {
      const master = new SeedGenerator(seed);
      for (const layer of targets) {
        for (const { owner, key } of seedSlots(layer)) {
          const saved = owner[key];
          owner[key] = new SeedGenerator(master.next());
          restore.push(() => {
            owner[key] = saved;
          });
        }
      }
    }
    return fn();
  } finally {
    for (const undo of restore.reverse()) undo();
  }
}
