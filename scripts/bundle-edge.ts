/**
 * Build step (`npm run build`, after tsc): bundles the CloudFront function and the compute origin's
 * Lambda handler once, so the package ships dist/edge/*.template.* and needs no bundler at run time
 * (`vendre-pull edge` fills in the settings).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleComputeTemplate, bundleTemplate, TEMPLATE_FILES } from '../src/edge/bundle.ts';

for (const [file, bundle] of [
  [TEMPLATE_FILES.viewer, bundleTemplate],
  [TEMPLATE_FILES.compute, bundleComputeTemplate],
] as const) {
  const out = path.join('dist', 'edge', file);
  await writeFile(out, await bundle());
  process.stdout.write(`${out}\n`);
}
