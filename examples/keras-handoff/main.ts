/**
 * Hand a model to Keras 3 and bring the trained weights back (README "Scaling up").
 *
 *   pnpm example:handoff prepare       # Strata: build, compile, save handoff-work/model.keras + data
 *   python train_in_keras.py handoff-work   # Keras 3 on any backend or accelerator: train, save
 *   pnpm example:handoff finish        # Strata: load handoff-work/trained.keras, compare, evaluate
 */
import { mkdirSync } from 'node:fs';
import { backendSummary, initBackend } from '@strata/core';
import { finish, prepare } from './handoff.js';

const step = process.argv[2];
const dir = process.argv[3] ?? 'handoff-work';
await initBackend();
console.log(`backend: ${backendSummary()}`);
if (step === 'prepare') {
  mkdirSync(dir, { recursive: true });
  await prepare(dir);
  console.log(`wrote ${dir}/model.keras, x.npy, y.npy; now run: python train_in_keras.py ${dir}`);
} else if (step === 'finish') {
  const { maxAbsDiff, accuracy } = await finish(dir);
  console.log(`Strata predicts what Keras predicted: max abs difference ${maxAbsDiff.toExponential(2)}`);
  console.log(`accuracy of the Keras-trained model in Strata: ${accuracy.toFixed(3)}`);
} else {
  console.error('usage: main.ts prepare|finish [DIR]');
  process.exitCode = 1;
}
