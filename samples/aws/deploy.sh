#!/usr/bin/env bash
# Deploys or updates the CloudFront side of vendre-pull: bucket, Origin Access Control, cache policy,
# distribution, viewer-request function and its KeyValueStore; then fills the store, uploads the 404
# body and checks the deployed function with TestFunction. Run it again after every change of
# auth settings or tokens: it is idempotent.
#
#   BUCKET=acme-vendre-history VENDRE_PULL_CONFIG=/etc/vendre-pull.yaml ./deploy.sh
#
# Needs: the aws CLI v2 (credentials for CloudFormation, CloudFront, S3), node, vendre-pull.
# Optional: STACK (vendre-pull), ORIGIN_PATH (/path of target s3://BUCKET/path), ALIAS_DOMAIN and
# CERTIFICATE_ARN (us-east-1), PRICE_CLASS, FUNCTION_NAME, VENDRE_PULL (how to run the CLI),
# BUILD_DIR (where the generated files go; holds secrets, mode 0700).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
: "${BUCKET:?set BUCKET to the bucket vendre-pull publishes to}"
stack=${STACK:-vendre-pull}
function_name=${FUNCTION_NAME:-vendre-pull-viewer-request}
origin_path=${ORIGIN_PATH:-}
vendre_pull=${VENDRE_PULL:-npx vendre-pull}
build=${BUILD_DIR:-$here/build}

umask 077
mkdir -p "$build"
chmod 700 "$build"

echo "1/5 vendre-pull edge: function and KeyValueStore entries"
$vendre_pull edge --out "$build"

echo "2/5 CloudFormation stack $stack"
node "$here/render-template.mjs" "$here/template.yaml" "$build/viewer-request.js" > "$build/stack.yaml"
aws cloudformation deploy \
  --stack-name "$stack" \
  --template-file "$build/stack.yaml" \
  --no-fail-on-empty-changeset \
  --parameter-overrides \
    "BucketName=$BUCKET" \
    "OriginPath=$origin_path" \
    "FunctionName=$function_name" \
    "PriceClass=${PRICE_CLASS:-PriceClass_100}" \
    "AliasDomain=${ALIAS_DOMAIN:-}" \
    "CertificateArn=${CERTIFICATE_ARN:-}"

output() {
  aws cloudformation describe-stacks --stack-name "$stack" --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
kvs_arn=$(output KeyValueStoreArn)
domain=$(output DistributionDomainName)

echo "3/5 KeyValueStore entries"
"$here/kvs-sync.sh" "$kvs_arn" "$build/kvs-entries.json"

echo "4/5 the 404 body"
key="${origin_path#/}"
key="${key:+$key/}_vendre-pull/not-found.json"
aws s3 cp "$build/not-found.json" "s3://$BUCKET/$key" --content-type 'application/json; charset=utf-8' --cache-control 'max-age=300' --only-show-errors

echo "5/5 TestFunction"
FUNCTION_NAME="$function_name" "$here/test-function.sh"

echo "done: Vendre's Pull API base URL is https://${ALIAS_DOMAIN:-$domain}/$(sed -n 's/^prefix: *//p' "${VENDRE_PULL_CONFIG:-vendre-pull.yaml}" 2>/dev/null | head -1 || true)"
