/**
 * Architecture rules, checked on the import statements of the sources (issue 10):
 * - the folders of `packages/core/src` form no cycle (folder = first directory under src; a file
 *   directly in src is its own node). Only imports that survive compilation count: type-only
 *   imports are erased by tsc, so they load nothing and cannot make an initialization cycle (see
 *   import-graph.ts). Test files are left out: they are not shipped and may reach across folders.
 * - `packages/core/src/utils` depends on no other core folder (it is the bottom layer);
 * - `@strata/graph` never imports TensorFlow.js (`@tensorflow/*`), not even for types;
 * - `@strata/lint` and `@strata/cli` never import `@strata/core` or `@strata/dropout` (they must run
 *   without TF.js).
 * Each failure prints the offending path (the cycle, file by file, or the file and its import).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCycle, findCycle, folderGraph, listSourceFiles, parseImports } from './import-graph.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CORE_SRC = join(ROOT, 'packages/core/src');

/** Every import in `dir` (type-only ones too) whose specifier `isForbidden`, as "file imports 'x'". */
function forbiddenImports(dir: string, isForbidden: (specifier: string, file: string) => boolean): string[] {
  const offenders: string[] = [];
  for (const file of listSourceFiles(dir)) {
    for (const { specifier } of parseImports(readFileSync(file, 'utf8'), file)) {
      if (isForbidden(specifier, file)) offenders.push(`${relative(ROOT, file)} imports '${specifier}'`);
    }
  }
  return offenders;
}

/** True when a relative specifier from `file` lands inside `packageDir`. */
function reaches(specifier: string, file: string, packageDir: string): boolean {
  return specifier.startsWith('.') && (resolve(dirname(file), specifier) + sep).startsWith(packageDir + sep);
}

describe('the cycle finder', () => {
  const graph = (edges: Record<string, string[]>): Map<string, Set<string>> =>
    new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]));

  it('finds none in a layered graph', () => {
    expect(findCycle(graph({ engine: ['utils', 'training'], training: ['utils'], utils: [] }))).toBeNull();
    expect(findCycle(graph({}))).toBeNull();
  });

  it('returns the cycle as the walked path, first node repeated', () => {
    expect(findCycle(graph({ a: ['b'], b: ['c'], c: ['a'], d: ['a'] }))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(graph({ a: ['b'], b: ['c'], c: ['b'] }))).toEqual(['b', 'c', 'b']);
    expect(findCycle(graph({ x: ['x'] }))).toEqual(['x', 'x']);
  });

  it('finds a cycle behind a node already finished', () => {
    // `b` is finished (acyclic) before `c` is visited; `c → d → b` must not hide `c → d → c`.
    expect(findCycle(graph({ a: ['b'], b: [], c: ['d'], d: ['b', 'c'] }))).toEqual(['c', 'd', 'c']);
  });
});

describe('parseImports', () => {
  it('tells type-only imports from runtime ones', () => {
    const refs = parseImports(
      [
        "import type { A } from './a.js';",
        "import { type B, type C } from './b.js';",
        "import { type D, E } from './d.js';",
        "import F from './f.js';",
        "import './side-effect.js';",
        "export type { G } from './g.js';",
        "export { H } from './h.js';",
        "export * from './star.js';",
        "type I = import('./i.js').I;",
        "const j = await import('./j.js' as string);",
        "const k = () => import(('./k.js'));",
      ].join('\n'),
    );
    expect(refs).toEqual([
      { specifier: './a.js', typeOnly: true },
      { specifier: './b.js', typeOnly: true },
      { specifier: './d.js', typeOnly: false },
      { specifier: './f.js', typeOnly: false },
      { specifier: './side-effect.js', typeOnly: false },
      { specifier: './g.js', typeOnly: true },
      { specifier: './h.js', typeOnly: false },
      { specifier: './star.js', typeOnly: false },
      { specifier: './i.js', typeOnly: true },
      { specifier: './j.js', typeOnly: false },
      { specifier: './k.js', typeOnly: false },
    ]);
  });
});

describe('folderGraph on a synthetic package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-import-graph-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  write(
    'engine/model.ts',
    "import { fit } from '../training/loops.js';\nimport type { Saver } from '../saving/index.js';\n",
  );
  write('training/loops.ts', "import { Layer } from '../engine/layer.js';\n");
  write('saving/index.ts', "import { Model } from '../engine/model.js';\n");
  write('engine/model.test.ts', "import { save } from '../saving/index.js';\n");

  it('reports a runtime folder cycle with the file behind each step', () => {
    const g = folderGraph(dir);
    const cycle = findCycle(g);
    expect(cycle).toEqual(['engine', 'training', 'engine']);
    expect(describeCycle(cycle!, g)).toBe(
      [
        'folder cycle engine → training → engine:',
        "  engine → training   (engine/model.ts imports '../training/loops.js')",
        "  training → engine   (training/loops.ts imports '../engine/layer.js')",
      ].join('\n'),
    );
  });

  it('ignores type-only imports and test files (saving → engine is the only saving edge)', () => {
    const g = folderGraph(dir);
    expect([...g.get('engine')!.keys()]).toEqual(['training']);
    expect([...g.get('saving')!.keys()]).toEqual(['engine']);
  });
});

describe('the workspace', () => {
  it('core: no cycle between the folders of packages/core/src', () => {
    const g = folderGraph(CORE_SRC);
    const cycle = findCycle(g);
    expect(cycle === null ? 'no cycle' : describeCycle(cycle, g)).toBe('no cycle');
  });

  it('core: utils/ imports no other core folder', () => {
    const utils = join(CORE_SRC, 'utils');
    const offenders = forbiddenImports(utils, (s, f) => s.startsWith('.') && !reaches(s, f, utils));
    expect(offenders).toEqual([]);
  });

  it('graph: never imports @tensorflow/*', () => {
    const offenders = forbiddenImports(join(ROOT, 'packages/graph/src'), (s) => s.startsWith('@tensorflow/'));
    expect(offenders).toEqual([]);
  });

  it('lint and cli: never import @strata/core or @strata/dropout', () => {
    const runtime = [join(ROOT, 'packages/core'), join(ROOT, 'packages/dropout')];
    const isRuntime = (s: string, f: string): boolean =>
      /^@strata\/(core|dropout)(\/|$)/.test(s) || runtime.some((dir) => reaches(s, f, dir));
    const offenders = ['lint', 'cli'].flatMap((p) => forbiddenImports(join(ROOT, 'packages', p, 'src'), isRuntime));
    expect(offenders).toEqual([]);
  });
});
