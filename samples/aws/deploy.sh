#!/usr/bin/env bash
# Deploys or updates the CloudFront side of vendre-pull: bucket, Origin Access Control, cache policy,
# distribution, viewer-request function and its KeyValueStore, and the compute origin (Lambda
# function URL) for list calls no published object answers; then fills the store, uploads the 404
# body and checks the deployed function with TestFunction. Run it again after every change of
# auth settings or tokens: it is idempotent.
#
#   BUCKET=acme-vendre-history VENDRE_PULL_CONFIG=/etc/vendre-pull.yaml ./deploy.sh
#
# Needs: the aws CLI v2 (credentials for CloudFormation, CloudFront, S3), node, vendre-pull.
# Optional: STACK (vendre-pull), ORIGIN_PATH (/path of target s3://BUCKET/path), ALIAS_DOMAIN and
# CERTIFICATE_ARN (us-east-1), PRICE_CLASS, FUNCTION_NAME, VENDRE_PULL (how to run the CLI),
# BUILD_DIR (where the generated files go; holds secrets, mode 0700), ARTIFACT_BUCKET (where the
# compute handler's zip goes; BUCKET-deploy by default, created if missing).
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

echo "1/6 vendre-pull edge: function, KeyValueStore entries, compute handler"
$vendre_pull edge --out "$build"

echo "2/6 the compute handler's zip"
artifacts=${ARTIFACT_BUCKET:-$BUCKET-deploy}
# A fixed time and no extra attributes: the same handler gives the same zip, so the same key.
touch -d '2000-01-01T00:00:00Z' "$build/compute/index.mjs"
rm -f "$build/compute.zip"
(cd "$build/compute" && zip -q -X "$build/compute.zip" index.mjs)
compute_key="vendre-pull/compute-$(sha256sum "$build/compute.zip" | cut -c1-16).zip"
aws s3api head-bucket --bucket "$artifacts" 2>/dev/null || aws s3 mb "s3://$artifacts"
aws s3 cp "$build/compute.zip" "s3://$artifacts/$compute_key" --only-show-errors

echo "3/6 CloudFormation stack $stack"
node "$here/render-template.mjs" "$here/template.yaml" "$build/viewer-request.js" > "$build/stack.yaml"
aws cloudformation deploy \
  --stack-name "$stack" \
  --template-file "$build/stack.yaml" \
  --no-fail-on-empty-changeset \
  --capabilities CAPABILITY_IAM \
  --parameter-overrides \
    "BucketName=$BUCKET" \
    "OriginPath=$origin_path" \
    "FunctionName=$function_name" \
    "ComputeCodeBucket=$artifacts" \
    "ComputeCodeKey=$compute_key" \
    "PriceClass=${PRICE_CLASS:-PriceClass_100}" \
    "AliasDomain=${ALIAS_DOMAIN:-}" \
    "CertificateArn=${CERTIFICATE_ARN:-}"

output() {
  aws cloudformation describe-stacks --stack-name "$stack" --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
kvs_arn=$(output KeyValueStoreArn)
domain=$(output DistributionDomainName)

echo "4/6 KeyValueStore entries"
"$here/kvs-sync.sh" "$kvs_arn" "$build/kvs-entries.json"

echo "5/6 the 404 body"
key="${origin_path#/}"
key="${key:+$key/}_vendre-pull/not-found.json"
aws s3 cp "$build/not-found.json" "s3://$BUCKET/$key" --content-type 'application/json; charset=utf-8' --cache-control 'max-age=300' --only-show-errors

echo "6/6 TestFunction"
FUNCTION_NAME="$function_name" "$here/test-function.sh"

echo "done: Vendre's Pull API base URL is https://${ALIAS_DOMAIN:-$domain}/$(sed -n 's/^prefix: *//p' "${VENDRE_PULL_CONFIG:-vendre-pull.yaml}" 2>/dev/null | head -1 || true)"
