/**
 * The guides' code lives in `<guide>.example.ts` files between `// #region <name>` and
 * `// #endregion <name>` lines; each guide shows a region in the ```ts block that follows a
 * `<!-- region: <name> -->` line. `guides.test.ts` checks that the two agree and
 * `sync.ts` (`node --import tsx docs/guides/sync.ts`) copies the regions into the guides.
 */

/** The regions of an example file, by name, dedented (the code may sit inside a function). */
export function readRegions(source: string): Map<string, string> {
  const regions = new Map<string, string>();
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = /^\s*\/\/ #region ([\w-]+)\s*$/.exec(lines[i]!);
    if (start === null) continue;
    const name = start[1]!;
    const end = lines.findIndex((line, j) => j > i && line.trim() === `// #endregion ${name}`);
    if (end < 0) throw new Error(`region "${name}" (line ${i + 1}) has no "// #endregion ${name}"`);
    if (regions.has(name)) throw new Error(`region "${name}" is defined twice`);
    const body = lines.slice(i + 1, end);
    const indent = Math.min(
      ...body.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length),
    );
    regions.set(name, body.map((line) => line.slice(indent)).join('\n'));
  }
  return regions;
}

/** One TypeScript block of a guide, with the region it shows (undefined when no marker precedes it). */
export interface GuideBlock {
  region: string | undefined;
  code: string;
  /** Line of the opening fence (1-based). */
  line: number;
}

const MARKER = /^<!-- region: ([\w-]+) -->$/;

/** The ```ts blocks of a guide. */
export function guideBlocks(markdown: string): GuideBlock[] {
  const lines = markdown.split('\n');
  const blocks: GuideBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue;
    const end = lines.findIndex((line, j) => j > i && line === '```');
    const marker = i > 0 ? MARKER.exec(lines[i - 1]!) : null;
    blocks.push({ region: marker?.[1], code: lines.slice(i + 1, end).join('\n'), line: i + 1 });
    i = end;
  }
  return blocks;
}

/** The guide with every marked block replaced by its region's code. */
export function syncGuide(markdown: string, regions: Map<string, string>): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]!);
    out.push(lines[i]!);
    if (marker === null || lines[i + 1] !== '```ts') continue;
    const code = regions.get(marker[1]!);
    if (code === undefined) throw new Error(`no region "${marker[1]}" in the example file`);
    const end = lines.findIndex((line, j) => j > i + 1 && line === '```');
    out.push('```ts', code, '```');
    i = end;
  }
  return out.join('\n');
}
