#!/usr/bin/env bash
# Checks the deployed viewer-request function with CloudFront's TestFunction API (it runs the real
# function with the real KeyValueStore, without a request reaching the bucket):
#   - no credentials → 401; a wrong token → 403; a POST → 405;
#   - with the token in $VENDRE_PULL_TOKEN (never printed): a query-style call is rewritten to the
#     object's URI with the query and the Authorization header gone.
# FUNCTION_NAME (vendre-pull-viewer-request), STAGE (LIVE or DEVELOPMENT), PREFIX (v1), CUSTOMER (10003).
set -euo pipefail

name=${FUNCTION_NAME:-vendre-pull-viewer-request}
stage=${STAGE:-LIVE}
prefix=${PREFIX:-v1}
customer=${CUSTOMER:-10003}
umask 077
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

etag=$(aws cloudfront describe-function --name "$name" --stage "$stage" --query ETag --output text)
failures=0

# check LABEL EXPECT METHOD URI QUERYSTRING_JSON AUTH_HEADER_OR_EMPTY
check() {
  local label=$1 expect=$2 method=$3 uri=$4 qs=$5 auth=$6
  node -e '
    const [method, uri, qs, auth] = process.argv.slice(1);
    const headers = { host: { value: "example.cloudfront.net" } };
    if (auth) headers.authorization = { value: auth };
    process.stdout.write(JSON.stringify({ version: "1.0", context: { eventType: "viewer-request" }, viewer: { ip: "198.51.100.1" },
      request: { method, uri, querystring: JSON.parse(qs), headers, cookies: {} } }));
  ' "$method" "$uri" "$qs" "$auth" > "$tmp/event.json"
  aws cloudfront test-function --name "$name" --if-match "$etag" --stage "$stage" \
    --event-object "fileb://$tmp/event.json" --output json > "$tmp/result.json"
  if node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).TestResult;
    const expect = process.argv[2];
    if (r.FunctionErrorMessage) { console.error("  function error: " + r.FunctionErrorMessage); process.exit(1); }
    const o = JSON.parse(r.FunctionOutput);
    const res = o.response || (o.statusCode ? o : undefined);
    const req = o.request || (o.uri ? o : undefined);
    const got = res ? String(res.statusCode) : req.uri + (Object.keys(req.querystring || {}).length ? " (query kept!)" : "") + (req.headers && req.headers.authorization ? " (authorization kept!)" : "");
    console.log("  got " + got + ", compute " + r.ComputeUtilization + "%");
    process.exit(got === expect ? 0 : 1);
  ' "$tmp/result.json" "$expect"; then
    echo "ok   $label"
  else
    echo "FAIL $label: expected $expect"
    failures=$((failures + 1))
  fi
}

check 'no credentials → 401' 401 GET "/$prefix/orders" "{\"customer_no\":{\"value\":\"$customer\"}}" ''
check 'wrong token → 403' 403 GET "/$prefix/orders" "{\"customer_no\":{\"value\":\"$customer\"}}" 'Bearer not-the-token'
check 'POST → 405' 405 POST "/$prefix/orders" '{}' ''
if [ -n "${VENDRE_PULL_TOKEN:-}" ]; then
  check 'query-style orders, one year → year page' "/$prefix/customers/$customer/orders/years/2025/pages/2.json" GET "/$prefix/orders" \
    "{\"customer_no\":{\"value\":\"$customer\"},\"page\":{\"value\":\"2\"},\"from\":{\"value\":\"2025-01-01\"},\"to\":{\"value\":\"2025-12-31\"}}" "Bearer $VENDRE_PULL_TOKEN"
  check 'unknown path with a valid token → 404' 404 GET "/$prefix/nothing" '{}' "Bearer $VENDRE_PULL_TOKEN"
else
  echo "skip the checks with a valid token: set VENDRE_PULL_TOKEN"
fi
[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
