#!/usr/bin/env bash
# Generates the TLS material of the compose deployment (docker-compose.yml) with openssl:
#
#   ca.key, ca.crt   the deployment's CA (EC P-256, 10 years). ca.crt is public: brokers and services trust it.
#                    ca.key signs brokers added later; keep it offline once the certificates exist.
#   kafka-N.p12      broker N's key and certificate (CN=kafka-N; SAN DNS:kafka-N, DNS:localhost, IP:127.0.0.1;
#                    server and client auth), chained to the CA. Its principal User:CN=kafka-N is a super user.
#   admin.p12        the setup job's client certificate (CN=borderwatch-admin, client auth only), a super user
#                    on the brokers' mutual-TLS listener. The services never get one: they use SCRAM.
#
# PKCS12 stores are encrypted with BORDERWATCH_KAFKA_STORE_PASSWORD, from the environment or ./.env.
# Existing files are kept (rerunning is harmless) unless --force. Private files are owner-only (0600); when run as
# root they are given to the container users that read them (apache/kafka uid 1000, the setup job uid 10001).
#
# usage: deploy/generate-certs.sh [--out DIR] [--brokers N] [--days N] [--force]
set -euo pipefail

out="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets"
brokers=3
days=825
force=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --brokers) brokers="$2"; shift 2 ;;
    --days) days="$2"; shift 2 ;;
    --force) force=true; shift ;;
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "generate-certs: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$brokers" =~ ^[1-9][0-9]?$ ]] || { echo "generate-certs: --brokers must be 1-99, was $brokers" >&2; exit 2; }
[[ "$days" =~ ^[1-9][0-9]*$ ]] || { echo "generate-certs: --days must be a positive number, was $days" >&2; exit 2; }

if [[ -z "${BORDERWATCH_KAFKA_STORE_PASSWORD:-}" && -f .env ]]; then
  BORDERWATCH_KAFKA_STORE_PASSWORD="$(sed -n 's/^BORDERWATCH_KAFKA_STORE_PASSWORD=//p' .env | tail -n 1)"
fi
if [[ ${#BORDERWATCH_KAFKA_STORE_PASSWORD} -lt 16 ]]; then
  echo "generate-certs: set BORDERWATCH_KAFKA_STORE_PASSWORD (at least 16 characters) in the environment or .env" >&2
  exit 2
fi
export BORDERWATCH_KAFKA_STORE_PASSWORD

umask 077
mkdir -p "$out"
cd "$out"
work="$(mktemp -d "$out/.work.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if $force || [[ ! -f ca.key || ! -f ca.crt ]]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key 2>/dev/null
  openssl req -x509 -new -key ca.key -subj "/CN=borderwatch Kafka CA" -days 3650 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out ca.crt
  chmod 644 ca.crt
  force=true  # a new CA invalidates every certificate signed by the old one
  echo "generate-certs: new CA in $out/ca.crt"
fi

# issue NAME SUBJECT_CN EXTENDED_KEY_USAGE SUBJECT_ALT_NAME: a key and a certificate in NAME.p12
issue() {
  local name="$1" cn="$2" eku="$3" san="$4"
  if ! $force && [[ -f "$name.p12" ]]; then
    echo "generate-certs: keeping $out/$name.p12"
    return
  fi
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$name.key" 2>/dev/null
  openssl req -new -key "$work/$name.key" -subj "/CN=$cn" -out "$work/$name.csr"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature"
    echo "extendedKeyUsage=$eku"
    [[ -n "$san" ]] && echo "subjectAltName=$san"
  } > "$work/$name.ext"
  openssl x509 -req -in "$work/$name.csr" -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 16)" \
    -days "$days" -sha256 -extfile "$work/$name.ext" -out "$work/$name.crt" 2>/dev/null
  openssl pkcs12 -export -name "$name" -inkey "$work/$name.key" -in "$work/$name.crt" -certfile ca.crt \
    -passout env:BORDERWATCH_KAFKA_STORE_PASSWORD -out "$name.p12"
  echo "generate-certs: issued $out/$name.p12 (CN=$cn)"
}

for i in $(seq 1 "$brokers"); do
  issue "kafka-$i" "kafka-$i" "serverAuth,clientAuth" "DNS:kafka-$i,DNS:localhost,IP:127.0.0.1"
done
issue admin borderwatch-admin clientAuth ""

if [[ $EUID -eq 0 ]]; then
  chown "${KAFKA_UID:-1000}" kafka-*.p12
  chown "${SETUP_UID:-10001}" admin.p12
else
  echo "generate-certs: the containers read these files as uid ${KAFKA_UID:-1000} (brokers) and" \
       "${SETUP_UID:-10001} (setup job); run as root, or chown them, before 'docker compose up'"
fi
