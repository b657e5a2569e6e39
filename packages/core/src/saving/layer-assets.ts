/**
 * Layer assets in `.keras` archives (Keras's `save_assets` / `load_assets`): files a layer keeps
 * outside its config and variables, such as a lookup layer's adapted `vocabulary.txt`, stored at
 * `assets/<the layer's weights path>/<file>` as Keras's saving_lib does.
 */
import type { Layer } from '../engine/layer.js';
import { kerasWeightSlots } from './weight-slots.js';

/** A layer with assets: it lists its files for saving and reads them back after loading. */
export interface AssetLayer {
  /** The layer's asset files by name (empty when it has none to write). */
  saveAssets(): ReadonlyMap<string, Uint8Array>;
  /** Restores the layer from its asset files (by name, only its own folder). */
  loadAssets(files: ReadonlyMap<string, Uint8Array>): void;
}

/** Whether a layer saves and loads assets. */
export function hasAssets(layer: Layer): layer is Layer & AssetLayer {
  const candidate = layer as Partial<AssetLayer>;
  return typeof candidate.saveAssets === 'function' && typeof candidate.loadAssets === 'function';
}

/** Every asset of a model, by its path inside the archive's `assets/` folder. */
export function modelAssets(model: Layer): Map<string, Uint8Array> {
  const assets = new Map<string, Uint8Array>();
  for (const slot of kerasWeightSlots(model)) {
    if (!hasAssets(slot.layer)) continue;
    for (const [name, bytes] of slot.layer.saveAssets())
      assets.set(slot.path === '' ? name : `${slot.path}/${name}`, bytes);
  }
  return assets;
}

/** The asset folders of a model's layers with assets (their weights paths), for reading only those. */
export function assetFolders(model: Layer): Set<string> {
  return new Set(
    kerasWeightSlots(model)
      .filter((slot) => hasAssets(slot.layer))
      .map((slot) => slot.path),
  );
}

/** Whether an asset path (inside `assets/`) is a file directly in one of `folders`. */
export function inAssetFolder(path: string, folders: ReadonlySet<string>): boolean {
  const slash = path.lastIndexOf('/');
  return folders.has(slash < 0 ? '' : path.slice(0, slash));
}

/** Gives each layer with assets the files of its own folder (`<path>/<name>`, no deeper). */
export function restoreModelAssets(model: Layer, assets: ReadonlyMap<string, Uint8Array>): void {
  for (const slot of kerasWeightSlots(model)) {
    if (!hasAssets(slot.layer)) continue;
    const prefix = slot.path === '' ? '' : `${slot.path}/`;
    const own = new Map<string, Uint8Array>();
    for (const [path, bytes] of assets) {
      if (!path.startsWith(prefix)) continue;
      const name = path.slice(prefix.length);
      if (!name.includes('/')) own.set(name, bytes);
    }
    if (own.size > 0) slot.layer.loadAssets(own);
  }
}
