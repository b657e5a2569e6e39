/**
 * `applyDropoutPolicy(model, policy)`: adds dropout where a policy says — after hidden Dense
 * layers, after convolution blocks, inside recurrent layers — by rewriting the model's IR, so it
 * works on models loaded from Keras files too. Returns a new model with the weights carried over.
 */
import { convRank, type ModelIR, type TensorRef } from '@strata/graph';
import { configToCamel, type Layer, type Model } from '../core-api.js';
import { createDropoutLayer } from '../config/create-dropout-layer.js';
import {
  DropoutConfigError,
  parseDropoutConfig,
  type DropoutConfig,
  type DropoutKind,
} from '../config/dropout-config.js';
import { setRecurrentDropoutInConfig } from '../helpers/set-recurrent-dropout.js';
import { spatialDropoutFor } from '../helpers/spatial-dropout-for.js';
import { DropBlock2D } from '../layers/drop-block-2d.js';
import { DropConnectDense } from '../layers/drop-connect-dense.js';
import { blockEnd, followedByDropout, reachesOutput } from './graph-walk.js';
import { consumersOf, insertOnEdge, outputRefsOf, rebuildModel, replaceLayer, uniqueLayerName } from './ir-edit.js';

/** Where to put which dropout. */
export interface DropoutPolicy {
  /**
   * After each hidden `Dense` (not the output layer; after its activation / normalization when
   * those follow as separate layers). Kinds: standard, gaussian, alpha, or dropconnect (which
   * replaces the Dense by a `DropConnectDense` instead of adding a layer).
   */
  afterDense?: DropoutConfig;
  /**
   * After each convolution block: a run of convolutions ending at its activation / normalization
   * / pooling. Kinds: spatial (rank and format from the conv), dropblock (2D convs), standard,
   * gaussian, alpha.
   */
  afterConvBlock?: DropoutConfig;
  /** RNN `dropout` / `recurrentDropout` for every SimpleRNN/LSTM/GRU (also inside Bidirectional and RNN(cell)). */
  recurrent?: { inputRate: number; recurrentRate: number; seed?: number };
  /** Leave a place alone when a dropout-family layer already follows it (default true). */
  skipWhereDropoutExists?: boolean;
}

/** One change a policy made. */
export interface PolicyEdit {
  /** `insert`: a new layer after `anchor`; `replace`: `layer` changed class; `rates`: RNN rates set. */
  action: 'insert' | 'replace' | 'rates';
  /** The new or changed layer. */
  layer: string;
  /** Its class. */
  className: string;
  /** The layer whose output the new layer takes (inserts only). */
  anchor?: string;
}

const DENSE_KINDS: DropoutKind[] = ['standard', 'gaussian', 'alpha', 'dropconnect'];
const CONV_KINDS: DropoutKind[] = ['spatial', 'dropblock', 'standard', 'gaussian', 'alpha'];

/** Validates a policy (e.g. from JSON); errors name the field (`afterDense.rate`, …). */
export function parseDropoutPolicy(json: unknown): DropoutPolicy {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new DropoutConfigError(
      'policy',
      `expected an object with afterDense / afterConvBlock / recurrent, got ${JSON.stringify(json)}`,
    );
  }
  const record = json as Record<string, unknown>;
  const known = ['afterDense', 'afterConvBlock', 'recurrent', 'skipWhereDropoutExists'];
  for (const key of Object.keys(record)) {
    if (!known.includes(key))
      throw new DropoutConfigError(`policy.${key}`, `unknown field; valid fields: ${known.join(', ')}`);
  }
  const policy: DropoutPolicy = {};
  const pick = (field: 'afterDense' | 'afterConvBlock', kinds: DropoutKind[]): void => {
    if (record[field] === undefined) return;
    const config = parseDropoutConfig(record[field], `policy.${field}`);
    if (!kinds.includes(config.kind)) {
      throw new DropoutConfigError(
        `policy.${field}.kind`,
        `invalid value "${config.kind}" here; valid choices: ${kinds.join(', ')}`,
      );
    }
    policy[field] = config;
  };
  pick('afterDense', DENSE_KINDS);
  pick('afterConvBlock', CONV_KINDS);
  if (record['recurrent'] !== undefined) {
    const raw = record['recurrent'];
    const withKind =
      raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? { kind: 'recurrent', ...(raw as object) } : raw;
    const config = parseDropoutConfig(withKind, 'policy.recurrent');
    if (config.kind !== 'recurrent')
      throw new DropoutConfigError('policy.recurrent.kind', `invalid value "${config.kind}"; valid choices: recurrent`);
    policy.recurrent = {
      inputRate: config.inputRate,
      recurrentRate: config.recurrentRate,
      ...(config.seed !== undefined ? { seed: config.seed } : {}),
    };
  }
  const skip = record['skipWhereDropoutExists'];
  if (skip !== undefined) {
    if (typeof skip !== 'boolean')
      throw new DropoutConfigError(
        'policy.skipWhereDropoutExists',
        `invalid value ${JSON.stringify(skip)}; expected true or false`,
      );
    policy.skipWhereDropoutExists = skip;
  }
  return policy;
}

/** A seed per inserted layer, so that layers do not share one mask sequence. */
function seeded(config: DropoutConfig, count: number): DropoutConfig {
  return 'seed' in config && config.seed !== undefined ? { ...config, seed: config.seed + count } : config;
}

/** Applies a policy to a model's IR in place and lists the edits (the layers are built to serialize them). */
export function planDropoutPolicy(ir: ModelIR, policyJson: DropoutPolicy): PolicyEdit[] {
  const policy = parseDropoutPolicy(policyJson);
  const skipExisting = policy.skipWhereDropoutExists ?? true;
  const edits: PolicyEdit[] = [];
  const original = [...ir.layers];
  let inserted = 0;
  const insert = (ref: TensorRef, make: (name: string) => Layer): void => {
    const name = uniqueLayerName(ir, `${ref.layer}_dropout`);
    const layer = make(name);
    insertOnEdge(ir, ref, layer);
    edits.push({ action: 'insert', layer: name, className: layer.className, anchor: ref.layer });
    inserted += 1;
  };

  if (policy.afterDense !== undefined) {
    const config = policy.afterDense;
    for (const layer of original.filter((l) => l.className === 'Dense' && l.model === undefined)) {
      const outputs = layer.nodes.map((_, nodeIndex) => outputRefsOf(ir, { layer, nodeIndex })[0]!);
      if (outputs.some((ref) => reachesOutput(ir, ref))) continue;
      if (config.kind === 'dropconnect') {
        const camel = configToCamel(layer.config);
        replaceLayer(
          ir,
          layer,
          new DropConnectDense(camel['units'] as number, {
            ...camel,
            name: layer.name,
            rate: config.rate,
            seed: seeded(config, inserted).seed ?? null,
          }),
        );
        edits.push({ action: 'replace', layer: layer.name, className: 'DropConnectDense' });
        inserted += 1;
        continue;
      }
      for (const out of outputs) {
        const end = blockEnd(ir, out, false).ref;
        if (reachesOutput(ir, end) || (skipExisting && followedByDropout(ir, end))) continue;
        insert(end, (name) => createDropoutLayer(seeded(config, inserted), { name }));
      }
    }
  }

  if (policy.afterConvBlock !== undefined) {
    const config = policy.afterConvBlock;
    for (const layer of original.filter((l) => convRank(l.className) !== undefined && l.model === undefined)) {
      const rank = convRank(layer.className)!;
      const format =
        typeof layer.config['data_format'] === 'string'
          ? (layer.config['data_format'] as 'channels_last' | 'channels_first')
          : null;
      for (let nodeIndex = 0; nodeIndex < layer.nodes.length; nodeIndex++) {
        const out = outputRefsOf(ir, { layer, nodeIndex })[0]!;
        if (reachesOutput(ir, out)) continue;
        const end = blockEnd(ir, out, true);
        if (!end.passedPooling && isFollowedByConv(ir, end.ref)) continue; // mid-block: the block goes on
        if (reachesOutput(ir, end.ref) || (skipExisting && followedByDropout(ir, end.ref))) continue;
        insert(end.ref, (name) => convBlockDropout(seeded(config, inserted), rank, format, name, layer.name));
      }
    }
  }

  // Nested models (a Sequential used as a layer, …) get the same policy, judged by their own outputs.
  for (const layer of original) {
    if (layer.model === undefined) continue;
    for (const edit of planDropoutPolicy(layer.model, policy)) {
      edits.push({
        ...edit,
        layer: `${layer.name}/${edit.layer}`,
        ...(edit.anchor !== undefined ? { anchor: `${layer.name}/${edit.anchor}` } : {}),
      });
    }
  }

  if (policy.recurrent !== undefined) {
    const rates = {
      dropout: policy.recurrent.inputRate,
      recurrentDropout: policy.recurrent.recurrentRate,
      ...(policy.recurrent.seed !== undefined ? { seed: policy.recurrent.seed } : {}),
    };
    for (const layer of original.filter((l) => l.model === undefined)) {
      if (setRecurrentDropoutInConfig(layer.className, layer.config, rates))
        edits.push({ action: 'rates', layer: layer.name, className: layer.className });
    }
  }
  return edits;
}

function isFollowedByConv(ir: ModelIR, ref: TensorRef): boolean {
  return consumersOf(ir, ref).some((c) => convRank(c.layer.className) !== undefined);
}

function convBlockDropout(
  config: DropoutConfig,
  rank: number,
  format: 'channels_last' | 'channels_first' | null,
  name: string,
  conv: string,
): Layer {
  const seed = 'seed' in config ? (config.seed ?? null) : null;
  if (config.kind === 'spatial') {
    if (config.rank !== undefined && config.rank !== rank) {
      throw new Error(
        `applyDropoutPolicy: afterConvBlock.rank is ${config.rank}, but conv "${conv}" is ${rank}D; leave rank out to follow each conv`,
      );
    }
    return spatialDropoutFor({ rank, dataFormat: config.dataFormat ?? format }, config.rate, { name, seed });
  }
  if (config.kind === 'dropblock') {
    if (rank !== 2)
      throw new Error(
        `applyDropoutPolicy: afterConvBlock kind "dropblock" needs 2D convolutions; conv "${conv}" is ${rank}D`,
      );
    return new DropBlock2D(config.rate, {
      name,
      seed,
      blockSize: config.blockSize,
      dataFormat: config.dataFormat ?? format,
    });
  }
  return createDropoutLayer(config, { name });
}

/**
 * Returns a new model with the policy applied (the original is not changed); weights are copied
 * by layer name, so the new model's inference output equals the original's. Nested models are
 * edited too; each judges "hidden" and "output" by its own outputs.
 *
 * @example
 * ```ts
 * const regularised = applyDropoutPolicy(await loadModel('model.keras'), {
 *   afterDense: { kind: 'standard', rate: 0.5 },
 *   afterConvBlock: { kind: 'spatial', rate: 0.1 },
 * });
 * ```
 */
export function applyDropoutPolicy(model: Model, policy: DropoutPolicy): Model {
  return rebuildModel(model, (ir) => {
    planDropoutPolicy(ir, policy);
  });
}
