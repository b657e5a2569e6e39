/**
 * The code of linting.md. Every `// #region` below appears verbatim in the guide, and
 * docs/guides/guides.test.ts type-checks this file and runs `main()` on a tiny model.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// #region imports
import { Input, Sequential, layers, modelToIR } from '@strata/core';
import { readModelFile } from '@strata/graph';
import { applyFixes, formatSarif, formatStylish, allRules, lintModel, parseLintConfig } from '@strata/lint';
import { run, processIo } from '@strata/cli';
// #endregion imports

/** Lints a small model in memory, from a file, and through the CLI; returns what the test checks. */
export async function main(): Promise<{
  inMemory: string[];
  fromFile: string[];
  afterFix: string[];
  sarifRules: number;
  exitCodes: number[];
}> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-guide-'));
  try {
    // #region in-memory
    const model = new Sequential([
      Input([32, 32, 3]),
      new layers.Conv2D(16, { kernelSize: 3, activation: 'relu' }),
      new layers.Dropout(0.3), // element-wise dropout on a conv feature map
      new layers.Flatten(),
      new layers.Dense(10, { activation: 'softmax' }),
      new layers.Dropout(0.0, { name: 'leftover' }), // rate 0, and after the output
    ]);
    const result = lintModel(modelToIR(model), { source: 'my-model' });
    for (const finding of result.findings) {
      console.log(`${finding.severity} ${finding.ruleId}: ${finding.message}`);
    }
    // #endregion in-memory
    const inMemory = result.findings.map((f) => f.ruleId);

    // #region file
    await model.save(join(dir, 'model.keras'));
    const config = parseLintConfig(
      {
        extends: 'recommended',
        rules: { 'no-dropout-on-conv-feature-maps': 'error', 'dropout-rate-high': ['warn', { max: 0.4 }] },
        suppressions: [
          { rule: 'no-dropout-after-probabilities', layer: 'leftover', reason: 'rate 0; the safe fix removes it' },
        ],
      },
      'strata-lint.json',
    );
    const { model: ir } = await readModelFile(join(dir, 'model.keras')); // config only: no TF.js, no weights
    const fileResult = lintModel(ir, { source: 'model.keras', config });
    process.stdout.write(formatStylish([fileResult], { color: false }));
    writeFileSync(join(dir, 'lint.sarif'), formatSarif([fileResult], allRules()));
    // Safe fixes only change nothing a prediction depends on (here: remove the rate-0 Dropout).
    const fixed = applyFixes(ir, fileResult.findings, { unsafe: false });
    console.log(fixed.layers.map((layer) => layer.className));
    // #endregion file
    const fromFile = fileResult.findings.map((f) => `${f.severity} ${f.ruleId}`);
    const afterFix = fixed.layers.map((layer) => layer.className);
    const sarifRules = (
      JSON.parse(formatSarif([fileResult], allRules())) as { runs: { tool: { driver: { rules: unknown[] } } }[] }
    ).runs[0]!.tool.driver.rules.length;

    // #region cli
    // The CLI in-process: the same as `strata lint model.keras --max-warnings 0` in a shell.
    const io = { ...processIo(), cwd: dir };
    const exitCode = await run(['lint', 'model.keras', '--max-warnings', '0'], io);
    console.log(exitCode); // 1: findings over the threshold
    const unreadable = await run(['lint', 'missing.keras'], io);
    console.log(unreadable); // 2: usage, config or unreadable-file error
    // #endregion cli

    model.dispose();
    return { inMemory, fromFile, afterFix, sarifRules, exitCodes: [exitCode, unreadable] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
