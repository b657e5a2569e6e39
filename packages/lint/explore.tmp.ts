import { readModelFile } from '@strata/graph';
import { lintModel, formatStylish } from '@strata/lint';
const dir = '/work/shared/fixtures/real-models/';
const results = [];
for (const f of ['dl4j_wgan_discriminator.h5','dl4j_keras2_mlp_config.json', 'dl4j_mlp_0.h5']) {
  const file = await readModelFile(dir + f);
  results.push(lintModel(file.model, { source: 'fixtures/' + f, config: {extends: 'strict'} }));
}
console.log(formatStylish(results, { color: false }));
