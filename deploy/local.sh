#!/usr/bin/env bash
# The deployment topology on one machine, without Docker: N Streamlit replicas of app.py and
# Debian's nginx with deploy/nginx/lossviz.conf (sticky cookie, WebSocket upgrade) in front.
#
#   deploy/local.sh                 # 3 replicas, nginx on a free port; Ctrl-C stops everything
#   LOSSVIZ_PORT=8080 LOSSVIZ_REPLICAS=2 deploy/local.sh
#
# Prints "lossviz ready: http://127.0.0.1:<port> replicas=<port,...> pids=<pid,...> state=<dir>"
# once nginx and every replica answer /_stcore/health. Every replica gets the same
# server.cookieSecret (a fresh random one, or LOSSVIZ_COOKIE_SECRET), as in deploy/compose.yaml.
# Needs nginx (as root: apt-get install -y nginx; `make nginx` does it).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
PY=${PYTHON:-$REPO/.venv/bin/python}
REPLICAS=${LOSSVIZ_REPLICAS:-3}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "nginx not found: as root run 'apt-get install -y nginx' (or 'make nginx')" >&2; exit 2; }

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
STATE=$(mktemp -d /tmp/lossviz-local.XXXXXX)
SECRET=${LOSSVIZ_COOKIE_SECRET:-$("$PY" -c 'import secrets; print(secrets.token_hex(32))')}
PIDS=()

cleanup() {
    trap - EXIT INT TERM
    [ -f "$STATE/nginx.pid" ] && kill "$(cat "$STATE/nginx.pid")" 2>/dev/null || true
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -n "${LOSSVIZ_KEEP_STATE:-}" ] || rm -rf "$STATE"
}
trap cleanup EXIT INT TERM

PORTS=()
SERVERS=""
for i in $(seq 1 "$REPLICAS"); do
    port=$(free_port)
    STREAMLIT_SERVER_COOKIE_SECRET=$SECRET "$PY" -m streamlit run app.py \
        --server.port "$port" --server.address 127.0.0.1 --server.headless true \
        --server.fileWatcherType none --browser.gatherUsageStats false \
        >"$STATE/replica$i.log" 2>&1 &
    PIDS+=($!)
    PORTS+=("$port")
    SERVERS+="    server 127.0.0.1:$port max_fails=3 fail_timeout=10s;\n"
done

NGINX_PORT=${LOSSVIZ_PORT:-$(free_port)}
mkdir -p "$STATE/tmp"
USER_LINE=""
if [ "$(id -u)" = 0 ]; then  # nginx workers must not run as root: give them the temp dir
    WORKER=www-data; id "$WORKER" >/dev/null 2>&1 || WORKER=nobody
    USER_LINE="user $WORKER;"
    chown "$WORKER" "$STATE/tmp"
    chmod 755 "$STATE"
fi
# The repo's config with this machine's replicas and port (the lines marked "local.sh").
sed -e "s|^\( *\)server app:8501 .*# local.sh: replicas.*$|$SERVERS|" \
    -e "s|listen 80;  # local.sh: port|listen 127.0.0.1:$NGINX_PORT;|" \
    deploy/nginx/lossviz.conf >"$STATE/lossviz.conf"
cat >"$STATE/nginx.conf" <<CONF
$USER_LINE
worker_processes 1;
daemon on;
pid $STATE/nginx.pid;
error_log $STATE/nginx-error.log warn;
events { worker_connections 1024; }
http {
    client_body_temp_path $STATE/tmp/body;
    proxy_temp_path $STATE/tmp/proxy;
    fastcgi_temp_path $STATE/tmp/fastcgi;
    uwsgi_temp_path $STATE/tmp/uwsgi;
    scgi_temp_path $STATE/tmp/scgi;
    include $STATE/lossviz.conf;
    access_log $STATE/access.log lossviz;
}
CONF
"$NGINX" -t -q -p "$STATE" -e "$STATE/nginx-error.log" -c "$STATE/nginx.conf"

for port in "${PORTS[@]}"; do
    for _ in $(seq 1 240); do
        curl -fsS "http://127.0.0.1:$port/_stcore/health" >/dev/null 2>&1 && break
        sleep 0.25
    done
    curl -fsS "http://127.0.0.1:$port/_stcore/health" >/dev/null || { echo "replica on $port did not start:" >&2; tail -20 "$STATE"/replica*.log >&2; exit 1; }
done
"$NGINX" -p "$STATE" -e "$STATE/nginx-error.log" -c "$STATE/nginx.conf"
curl -fsS "http://127.0.0.1:$NGINX_PORT/_stcore/health" >/dev/null
echo "lossviz ready: http://127.0.0.1:$NGINX_PORT replicas=$(IFS=,; echo "${PORTS[*]}") pids=$(IFS=,; echo "${PIDS[*]}") state=$STATE"
wait "${PIDS[@]}"
