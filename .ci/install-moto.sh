#!/bin/sh
# Installs moto's S3 server (moto_server) for the S3 test suite, from Debian's packages: the test
# machines reach no Python package index. Run as root (CI images are); prints what it did.
set -eu
if command -v moto_server >/dev/null 2>&1 || python3 -c 'import moto.server' >/dev/null 2>&1; then
  echo "moto server already installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-moto: no apt-get here; install moto's server (Python package moto[server], or Debian's python3-moto with python3-flask and python3-flask-cors) by hand" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The server part of moto needs flask and flask-cors beside the library (Debian splits them out).
if apt-cache show python3-moto >/dev/null 2>&1; then
  apt-get install -y -qq python3-moto python3-flask python3-flask-cors >/dev/null
elif python3 -m pip --version >/dev/null 2>&1; then
  # Debian releases before trixie have no python3-moto: the Python package index, where reachable.
  python3 -m pip install --quiet 'moto[server]'
else
  echo "install-moto: no python3-moto package in this Debian release and no pip; install moto[server] by hand" >&2
  exit 1
fi
python3 -c 'import moto.server' && echo "moto server installed (python3 -m moto.server)"
