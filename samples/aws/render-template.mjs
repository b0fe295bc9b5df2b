// Puts the generated viewer-request.js into template.yaml's FunctionCode block (CloudFormation takes
// a function's code inline; a parameter would be limited to 4 KB). Usage:
//   node render-template.mjs template.yaml build/viewer-request.js > build/stack.yaml
import { readFileSync } from 'node:fs';

const [templateFile, codeFile] = process.argv.slice(2);
if (!templateFile || !codeFile) {
  process.stderr.write('usage: node render-template.mjs TEMPLATE viewer-request.js\n');
  process.exit(2);
}
const template = readFileSync(templateFile, 'utf8');
const code = readFileSync(codeFile, 'utf8').replace(/\s+$/, '');
const placeholder = /^( *)__VIEWER_REQUEST_JS__$/m;
const m = placeholder.exec(template);
if (!m) {
  process.stderr.write(`${templateFile}: no __VIEWER_REQUEST_JS__ placeholder\n`);
  process.exit(1);
}
const indent = m[1];
const block = code.split('\n').map((line) => (line ? indent + line : line)).join('\n');
process.stdout.write(template.replace(placeholder, () => block));
