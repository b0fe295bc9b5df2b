#!/usr/bin/env bash
# Makes a CloudFront KeyValueStore hold exactly the vendre-pull entries of kvs-entries.json: puts the
# new and changed ones, deletes token.* and hmac.* keys the file no longer has (the second step of a
# rotation), leaves other keys alone. Values are never printed. One conditional update (If-Match),
# so two runs at once cannot interleave.
#
#   ./kvs-sync.sh KVS_ARN build/kvs-entries.json
set -euo pipefail

kvs_arn=${1:?usage: kvs-sync.sh KVS_ARN kvs-entries.json}
entries=${2:?usage: kvs-sync.sh KVS_ARN kvs-entries.json}
umask 077
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

etag=$(aws cloudfront-keyvaluestore describe-key-value-store --kvs-arn "$kvs_arn" --query ETag --output text)
aws cloudfront-keyvaluestore list-keys --kvs-arn "$kvs_arn" --output json > "$tmp/current.json"

node - "$entries" "$tmp/current.json" "$tmp" <<'NODE'
const fs = require('node:fs');
const [entriesFile, currentFile, out] = process.argv.slice(2);
const wanted = new Map(JSON.parse(fs.readFileSync(entriesFile, 'utf8')).data.map((e) => [e.key, e.value]));
const current = new Map((JSON.parse(fs.readFileSync(currentFile, 'utf8')).Items ?? []).map((i) => [i.Key, i.Value]));
const puts = [...wanted].filter(([k, v]) => current.get(k) !== v).map(([Key, Value]) => ({ Key, Value }));
const deletes = [...current.keys()].filter((k) => /^(token|hmac)\./.test(k) && !wanted.has(k)).map((Key) => ({ Key }));
fs.writeFileSync(`${out}/puts.json`, JSON.stringify(puts), { mode: 0o600 });
fs.writeFileSync(`${out}/deletes.json`, JSON.stringify(deletes), { mode: 0o600 });
const short = (k) => (k.startsWith('token.') ? `${k.slice(0, 14)}…` : k);
process.stdout.write(`put ${puts.length} (${puts.map((p) => short(p.Key)).join(', ') || '-'}), delete ${deletes.length} (${deletes.map((d) => short(d.Key)).join(', ') || '-'})\n`);
NODE

if [ "$(cat "$tmp/puts.json")" = "[]" ] && [ "$(cat "$tmp/deletes.json")" = "[]" ]; then
  echo "the store is up to date"
  exit 0
fi
args=(--kvs-arn "$kvs_arn" --if-match "$etag")
[ "$(cat "$tmp/puts.json")" != "[]" ] && args+=(--puts "file://$tmp/puts.json")
[ "$(cat "$tmp/deletes.json")" != "[]" ] && args+=(--deletes "file://$tmp/deletes.json")
aws cloudfront-keyvaluestore update-keys "${args[@]}" --query 'ItemCount' --output text >/dev/null
echo "updated; edge locations pick the change up within seconds"
