#!/usr/bin/env bash
# The release server behind Debian's nginx terminating TLS (self-signed), as in production:
# deploy/nginx-coursepay.conf in front, PUBLIC_BASE_URL https, TRUSTED_PROXIES = nginx. Then
# scripts/nginx_check.py proves through the proxy: HSTS, a Secure __Host- session cookie, the
# client address taken from nginx's X-Forwarded-For for login throttling (two client addresses,
# 127.0.0.2 and 127.0.0.3), a purchase whose return and notify both travel through nginx.
# Usage: scripts/nginx-test.sh [--no-build]   (run by `make test` after the release build)
source "$(dirname "$0")/lib.sh"
[ "${1:-}" = "--no-build" ] || cargo leptos build --release
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx-test: nginx is missing (scripts/bootstrap.sh installs Debian's nginx-light)" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d /tmp/coursepay-nginx.XXXXXX)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
app_port=$(free_port)
tls_port=$(free_port)

# A throwaway CA and a server certificate for 127.0.0.1 / localhost signed by it (rustls refuses a
# CA certificate used as the server's own, so a single self-signed certificate will not do).
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=coursepay test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" \
  -keyout "$work/ca.key" -out "$work/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
  -keyout "$work/tls.key" -out "$work/tls.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' > "$work/tls.ext"
openssl x509 -req -in "$work/tls.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" -CAcreateserial \
  -days 2 -extfile "$work/tls.ext" -out "$work/tls.crt" 2>/dev/null

# nginx with the deploy config, in its own prefix (no root paths, no system service).
mkdir -p "$work/nginx/logs" "$work/nginx/tmp"
sed -e "s|@LISTEN@|127.0.0.1:$tls_port|" -e "s|@SERVER_NAME@|localhost|" \
    -e "s|@CERT@|$work/tls.crt|" -e "s|@KEY@|$work/tls.key|" -e "s|@UPSTREAM@|127.0.0.1:$app_port|" \
    deploy/nginx-coursepay.conf > "$work/site.conf"
cat > "$work/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log $work/nginx/logs/access.log;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  include $work/site.conf;
}
CONF
"$NGINX" -t -q -p "$work/nginx" -c "$work/nginx.conf"
"$NGINX" -p "$work/nginx" -c "$work/nginx.conf" &

# The release server: development mode (the embedded sandbox is the gateway, reached through nginx
# like everything else), the public URL is nginx's https address and nginx is the trusted proxy.
base="https://127.0.0.1:$tls_port"
mkdir -p "$work/data"
(
  export COURSEPAY_DATA_DIR="$work/data" DATABASE_URL="sqlite://$work/data/coursepay.db?mode=rwc"
  export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$app_port"
  export PUBLIC_BASE_URL="$base" TRUSTED_PROXIES=127.0.0.1
  # The sandbox's notify client and the shop's gateway client trust the test CA (rustls reads
  # SSL_CERT_FILE).
  export SSL_CERT_FILE="$work/ca.crt"
  export RUST_LOG=${RUST_LOG:-warn}
  exec "$target/release/coursepay" serve > "$work/server.log" 2>&1
) &
server_pid=$!

python3 scripts/nginx_check.py --base "$base" --ca "$work/ca.crt" --server-pid "$server_pid" \
  --access-log "$work/nginx/logs/access.log" || {
  echo "nginx-test: FAILED; server log:" >&2; tail -n 40 "$work/server.log" >&2
  echo "nginx error log:" >&2; tail -n 20 "$work/nginx/logs/error.log" >&2
  exit 1
}
if grep -q "panicked" "$work/server.log"; then echo "nginx-test: the server panicked" >&2; exit 1; fi
echo "nginx-test: passed"
