/**
 * Registers the model classes (`Sequential`, `Functional`) in the layer registry, so a
 * model nested in a model is an allowed class and `layerFromConfig('Sequential', …)` works.
 */
import { decodeKeras3Config, type JsonObject } from '@strata/graph';
import { configToSnake } from '../utils/config-case.js';
import type { Layer, LayerConfig } from '../engine/layer.js';
import { getLayerClass, registerLayer } from '../engine/registry.js';
import { toJson } from './layer-ir.js';
import { modelFromIR } from './model-from-ir.js';

function modelClassEntry(className: 'Sequential' | 'Functional'): {
  className: string;
  fromConfig(config: LayerConfig): Layer;
} {
  return {
    className,
    fromConfig(config: LayerConfig): Layer {
      const json: JsonObject = {
        module: 'keras',
        class_name: className,
        config: toJson(configToSnake(config)),
        registered_name: null,
      };
      return modelFromIR(decodeKeras3Config(json), { compile: false });
    },
  };
}

/** Idempotent: registers `Sequential` and `Functional` once. */
export function registerModelClasses(): void {
  for (const className of ['Sequential', 'Functional'] as const) {
    if (getLayerClass(className) === undefined) registerLayer(modelClassEntry(className));
  }
}

registerModelClasses();
