import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../src/config/load.ts';
import { expandEnv } from '../../src/config/env.ts';
import { ConfigError } from '../../src/errors.ts';
import { FLAT_ORDERS_FEED } from '../helpers.ts';

const FILE = '/etc/vp/vendre-pull.yaml';
const feeds = `feeds:${FLAT_ORDERS_FEED}`;

function configError(yaml: string, env: NodeJS.ProcessEnv): ConfigError {
  try {
    parseConfig(yaml, FILE, env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail('expected a ConfigError');
}

test('expandEnv: ${NAME}, ${NAME:-default}, $$ and a lone $', () => {
  const env = { A: 'alpha', EMPTY: '' };
  assert.equal(expandEnv('x-${A}-y', env), 'x-alpha-y');
  assert.equal(expandEnv('${B:-beta}/${A:-unused}', env), 'beta/alpha');
  assert.equal(expandEnv('${EMPTY:-fallback}', env), 'fallback', ':- covers a set but empty variable, as in the shell');
  assert.equal(expandEnv('${EMPTY}', env), '', 'set but empty, without a default, is empty');
  assert.equal(expandEnv('${B:-}', env), '');
  assert.equal(expandEnv('cost $$5 and $${A}', env), 'cost $5 and ${A}');
  assert.equal(expandEnv('^[0-9]+$', env), '^[0-9]+$', 'a $ not followed by { or $ is left alone (regular expressions)');
  assert.equal(expandEnv('${B:-a:-b c}', env), 'a:-b c');
  assert.match((expandEnv('${B}', env) as { detail: string }).detail, /uses \$\{B\}, which is not set/);
  assert.match((expandEnv('${A', env) as { detail: string }).detail, /without a closing/);
  assert.match((expandEnv('${1X}', env) as { detail: string }).detail, /not a variable reference/);
});

test('paths, endpoints and patterns are expanded before validation; paths then resolve against the config folder', () => {
  const env = { VP_DATA: '/srv/vp', VP_REL: 'data', S3_ENDPOINT: 'http://127.0.0.1:9000', FEED_GLOB: 'ordrar' };
  const yaml = [
    'state: ${VP_DATA}/state.db',
    'folders:',
    '  drop: ${VP_REL}/inbox',
    '  archive: "${VP_DATA:-/var/vp}/archive"',
    'target: s3://vendre-history/${STAGE:-prod}',
    's3: { region: eu-north-1, endpoint: "${S3_ENDPOINT}" }',
    feeds.replace('pattern: "orders*.csv"', 'pattern: "${FEED_GLOB}*.csv"'),
  ].join('\n');
  const cfg = parseConfig(yaml, FILE, env);
  assert.equal(cfg.state, '/srv/vp/state.db');
  assert.equal(cfg.folders.drop, path.resolve('/etc/vp/data/inbox'));
  assert.equal(cfg.folders.archive, '/srv/vp/archive');
  assert.equal(cfg.target, 's3://vendre-history/prod');
  assert.equal(cfg.s3.endpoint, 'http://127.0.0.1:9000');
  assert.equal(cfg.feeds[0]!.pattern, 'ordrar*.csv');
  // Keys are not expanded, and the regex default with its `$` is untouched.
  assert.equal(cfg.customerNoPattern, '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$');
});

test('a plain value that expands to a number is a number; a quoted one stays a string', () => {
  // (Block style: in a flow map `{ … }` YAML wants a `${…}` quoted.)
  const cfg = parseConfig(`serve:\n  port: \${PORT}\n  printCurl: \${CURL:-false}\n${feeds}`, FILE, { PORT: '8181' });
  assert.equal(cfg.serve.port, 8181);
  assert.equal(cfg.serve.printCurl, false);
  const quoted = configError(`serve:\n  port: "\${PORT}"\n${feeds}`, { PORT: '8181' });
  assert.equal(quoted.key, 'serve.port');
  assert.match(quoted.message, /must be integer/);
});

test('an unset variable without a default is a config error naming the key and its line', () => {
  const yaml = `locale: sv-SE\ns3:\n  region: eu-north-1\n  endpoint: \${S3_ENDPOINT}\n${feeds}`;
  const e = configError(yaml, {});
  assert.equal(e.key, 's3.endpoint');
  assert.equal(e.line, 4);
  assert.match(e.message, /^\/etc\/vp\/vendre-pull\.yaml:4: `s3\.endpoint` uses \$\{S3_ENDPOINT\}, which is not set in the environment/);
  assert.match(e.message, /\$\{S3_ENDPOINT:-value\}/);
  // Inside a feed, the key names the feed's index and field.
  const feedYaml = feeds.replace('pattern: "orders*.csv"', 'pattern: "${ORDERS_GLOB}"');
  const inFeed = configError(feedYaml, {});
  assert.equal(inFeed.key, 'feeds.0.pattern');
  assert.equal(inFeed.line, feedYaml.split('\n').findIndex((l) => l.includes('ORDERS_GLOB')) + 1);
});

test('a malformed reference is a config error, and $$ keeps a literal ${', () => {
  const e = configError(`state: \${VP_DATA/state.db\n${feeds}`, { VP_DATA: '/srv' });
  assert.equal(e.key, 'state');
  assert.equal(e.line, 1);
  assert.match(e.message, /without a closing `}`/);
  const cfg = parseConfig(`state: /srv/$\${literal}.db\n${feeds}`, FILE, {});
  assert.equal(cfg.state, '/srv/${literal}.db');
});

test('the README example expands as the README says, and its error line is the one the loader prints', () => {
  const readme = readFileSync(path.resolve('README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('**Environment variables.**'));
  const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
  const printed = /```\n(vendre-pull: [^\n]*)\n```/.exec(section)![1]!;
  const yaml = `${example}${feeds}`;
  const cfg = parseConfig(yaml, '/etc/vendre-pull.yaml', { STAGE: 'prod', ERP_EXPORT_DIR: '/srv/erp/export' });
  assert.equal(cfg.state, '/var/lib/vendre-pull/state.db');
  assert.equal(cfg.target, 's3://vendre-history/prod');
  assert.equal(cfg.folders.drop, '/srv/erp/export');
  assert.equal(cfg.folders.archive, '/var/lib/vendre-pull/archive');
  assert.equal(cfg.s3.region, 'eu-north-1');
  assert.equal(cfg.admin.port, 9464);
  const e = configError(yaml, { ERP_EXPORT_DIR: '/srv/erp/export' });
  assert.equal(`vendre-pull: ${e.message.replace(FILE, '/etc/vendre-pull.yaml')}`, printed);
});
