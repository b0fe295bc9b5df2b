/**
 * Build step (`npm run build`, after tsc): bundles the CloudFront function once, so the package ships
 * dist/edge/viewer-request.template.js and needs no bundler at run time (`vendre-pull edge` fills in
 * the settings).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleTemplate, TEMPLATE_FILE } from '../src/edge/bundle.ts';

const out = path.join('dist', 'edge', TEMPLATE_FILE);
await writeFile(out, await bundleTemplate());
process.stdout.write(`${out}\n`);
