/**
 * The guides' code is real: every ```ts block of docs/guides/*.md must be a region of the guide's
 * `.example.ts` file (type-checked with the rest of the repo), and each example's `main()` runs
 * here on tiny data.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { guideBlocks, readRegions } from './regions.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const GUIDES = readdirSync(HERE).filter((file) => file.endsWith('.md') && file !== 'README.md');

describe('guides show their example files verbatim', () => {
  it('finds the guides', () => {
    expect(GUIDES.sort()).toEqual([
      'dropout.md',
      'functional-api.md',
      'linting.md',
      'porting-from-keras.md',
      'untrusted-files.md',
    ]);
  });

  it.each(GUIDES)('%s', (guide) => {
    const example = join(HERE, guide.replace(/\.md$/, '.example.ts'));
    expect(existsSync(example), `${guide} needs ${example}`).toBe(true);
    const regions = readRegions(readFileSync(example, 'utf8'));
    const blocks = guideBlocks(readFileSync(join(HERE, guide), 'utf8'));
    expect(blocks.length).toBeGreaterThan(0);
    const fix = 'edit the .example.ts file, then run `node --import tsx docs/guides/sync.ts`';
    for (const block of blocks) {
      expect(
        block.region,
        `${guide}:${block.line}: a \`\`\`ts block without a <!-- region: name --> line above it`,
      ).toBeDefined();
      expect(regions.has(block.region!), `${guide}:${block.line}: no region "${block.region}" in the example`).toBe(
        true,
      );
      expect(block.code, `${guide}:${block.line}: the block differs from region "${block.region}"; ${fix}`).toBe(
        regions.get(block.region!),
      );
    }
    const shown = new Set(blocks.map((b) => b.region));
    expect(
      [...regions.keys()].filter((name) => !shown.has(name)),
      'regions the guide does not show',
    ).toEqual([]);
  });
});

describe("the guides' examples run", () => {
  it('functional API', async () => {
    const { main } = await import('./functional-api.example.js');
    const result = await main();
    expect(result).toEqual({ outputShape: [4, 3], twoHeads: 2, sharedWeights: 48 });
  });

  it('porting from Keras: trains, evaluates, saves and reloads the ported model', async () => {
    const { main } = await import('./porting-from-keras.example.js');
    expect(await main()).toEqual({ epochsRun: 3, sameAfterReload: true, evaluated: [1, 1] });
  });

  it('dropout: config, policy, schedule, MC dropout, DropBlock and stochastic depth', async () => {
    const { main } = await import('./dropout.example.js');
    const result = await main();
    expect(result.configClass).toBe('SpatialDropout2D');
    expect(result.inserted).toEqual(['Dense', 'Dropout', 'Dense', 'Dropout', 'Dense']);
    expect(result.mcShapes).toEqual([[4, 2], [4, 2], [4]]);
    expect(result.scheduledRates.map((r) => Math.round(r * 100) / 100)).toEqual([0, 0.15, 0.3]);
    expect(result.residualParams).toBe(2 * (3 * 3 * 8 * 8 + 8));
  });

  it('linting: in memory, from a file with a config, SARIF, fixes and the CLI', async () => {
    const { main } = await import('./linting.example.js');
    const result = await main();
    expect(result.inMemory).toEqual([
      'no-dropout-on-conv-feature-maps',
      'no-dropout-after-probabilities',
      'dropout-rate-zero',
    ]);
    expect(result.fromFile).toEqual(['error no-dropout-on-conv-feature-maps', 'info dropout-rate-zero']);
    expect(result.afterFix).toEqual(['InputLayer', 'Conv2D', 'Dropout', 'Flatten', 'Dense']);
    expect(result.sarifRules).toBeGreaterThanOrEqual(26);
    expect(result.exitCodes).toEqual([1, 2]);
  });

  it('untrusted files: refuses a shard path out of its folder, a Lambda layer and a fake .keras; limits apply', async () => {
    const { main } = await import('./untrusted-files.example.js');
    const { refused, loaded } = await main();
    expect(refused.map((r) => r.error)).toEqual([
      'ModelFileError',
      'ModelLoadError',
      'ModelFileError',
      'ModelFileError',
    ]);
    expect(refused[0]!.message).toMatch(
      /escape\.json: weight shard "\.\.\/\.\.\/etc\/passwd" points outside the model's folder/,
    );
    expect(refused[1]!.message).toMatch(/lambda\.json: Layer "evil" has class "Lambda"/);
    expect(refused[2]!.message).toMatch(/fake\.keras: is not a model file/);
    expect(refused[3]!.message).toMatch(/limits\.maxTotalBytes/);
    expect(loaded).toBe('trusted keras-zip');
  });

  const REAL = join(HERE, '../../../shared/fixtures/real-models');
  const HAVE_REAL = existsSync(join(REAL, 'dl4j_mlp_0.h5')) && existsSync(join(REAL, 'tfjs_layers_model/model.json'));
  if (!HAVE_REAL)
    console.warn(`docs/guides: ${REAL} is absent, so the guide's Keras 2 .h5 / TF.js loading example is skipped`);
  it.skipIf(!HAVE_REAL)(
    'porting from Keras: loads a real Keras 2 .h5 and a TF.js model.json (skipped without ../shared)',
    async () => {
      const { loadOlderFormats } = await import('./porting-from-keras.example.js');
      const names = await loadOlderFormats(join(REAL, 'dl4j_mlp_0.h5'), join(REAL, 'tfjs_layers_model/model.json'));
      expect(names).toHaveLength(3);
      expect(names.every((name) => name.length > 0)).toBe(true);
    },
  );
});
