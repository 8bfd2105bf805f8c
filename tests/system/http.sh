#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The http unikernel (proc; a smoke run on QEMU microvm) and its native build, each compared with
# nginx (Debian) serving the same files from a private config on loopback: status codes, the
# headers that matter (Content-Type, Content-Length, Last-Modified, Content-Range), bodies byte
# for byte, HEAD, If-Modified-Since, Range (206, 416), ETag and If-None-Match (against itself:
# nginx runs with etag off), 301/403/404/405/413/414, traversal attempts, keep-alive (curl reusing one
# connection), pipelining (several requests in one write, answered in order), Connection: close
# and HTTP/1.0, a 4 MiB file (streamed as the send buffer drains, also to a slow reader), and
# malformed or stalled clients that must neither crash nor hang the server.
set -u
cd "$(dirname "$0")/../.."
. tests/lib/test.sh
test_name http
unf=build/bin/unf
kernels=build/kernels/http
prefix=ht$$
lm=1700000000 # the fixed Last-Modified: the image build writes mtime 0, the app takes --last-modified
tmp=$(mktemp -d)
chmod 755 "$tmp"
free_port() { # a loopback TCP port below the ephemeral range that nothing uses now
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 12000))
    ss -Htan 2>/dev/null | awk '{print $4}' | grep -q ":$p\$" || { echo $p; return; }
  done
  echo $p
}
ngx_port=$(free_port)
nat_port=$(free_port)
asan_port=$(free_port)
ngx_pid="" nat_pid="" asan_pid=""

cleanup() {
  rm_instances "$prefix"
  [ -n "$ngx_pid" ] && kill "$ngx_pid" 2>/dev/null && wait "$ngx_pid" 2>/dev/null
  [ -n "$nat_pid" ] && kill "$nat_pid" 2>/dev/null && wait "$nat_pid" 2>/dev/null
  [ -n "$asan_pid" ] && kill "$asan_pid" 2>/dev/null && wait "$asan_pid" 2>/dev/null
  rm -rf "$tmp"
}
on_exit cleanup

for tool in nginx curl socat; do
  if ! command -v $tool >/dev/null; then
    echo "SKIP http: $tool is not installed (scripts/setup installs it)"
    exit 0
  fi
done

# The site: the app's demo files plus a 4 MiB file, all with the same fixed mtime for nginx.
mkdir -p "$tmp/app/files"
cp -r apps/http/files/. "$tmp/app/files/"
head -c 4194304 /dev/urandom > "$tmp/app/files/big.bin"
find "$tmp/app/files" -exec touch -h -d "@$lm" {} +
cat > "$tmp/app/app.json" <<EOF
{"name": "http", "version": "0.1.0", "mem": "32M", "nics": 1,
 "args": ["--last-modified", "$lm", "--idle-timeout", "3", "--header-timeout", "3"]}
EOF
if ! err=$($unf build "$tmp/app" -o "$tmp/http.unf" --kernels "$kernels" 2>&1); then
  echo "FAIL http.build-test-image: $err"; exit 1
fi
(cd "$tmp/app/files" && tar --format=ustar -cf "$tmp/files.tar" .)

mkdir -p "$tmp/nginx"
cat > "$tmp/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  server_tokens off;
  etag off;
  if_modified_since before;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  server { listen 127.0.0.1:$ngx_port; root $tmp/app/files; index index.html; }
}
EOF
nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" > "$tmp/nginx/out.log" 2>&1 &
ngx_pid=$!
NGX=127.0.0.1:$ngx_port

up() { # host:port -> 0 once it answers HTTP
  for _ in $(seq 1 100); do
    curl -s -o /dev/null --max-time 1 "http://$1/" && return 0
    sleep 0.05
  done
  return 1
}
up "$NGX" || { echo "FAIL http.nginx-starts: $(tail -n 3 "$tmp/nginx/error.log" "$tmp/nginx/out.log" 2>/dev/null | tr '\n' ' ')"; exit 1; }

hdr() { # file name -> value of the first header field with that name
  grep -i -m1 "^$2:" "$1" | cut -d: -f2- | tr -d '\r' | sed 's/^ *//'
}

fetch() { # out-prefix host path [curl args...] -> out.code out.hdr out.body
  local out=$1 host=$2 path=$3; shift 3
  rm -f "$out.hdr" "$out.body"
  touch "$out.hdr" "$out.body"
  curl -s --path-as-is --max-time 20 -D "$out.hdr" -o "$out.body" -w '%{http_code}' "$@" "http://$host$path" > "$out.code" 2>/dev/null
}

compare() { # label host path [curl args...]: same status, type, length, Last-Modified and body as nginx
  local label=$1 host=$2 path=$3; shift 3
  fetch "$tmp/n" "$NGX" "$path" "$@"
  fetch "$tmp/u" "$host" "$path" "$@"
  local nc uc why=""
  nc=$(cat "$tmp/n.code") uc=$(cat "$tmp/u.code")
  [ "$nc" = "$uc" ] || why="status $uc, nginx $nc"
  if [ -z "$why" ] && { [ "$uc" = 200 ] || [ "$uc" = 206 ] || [ "$uc" = 304 ]; }; then
    for h in Content-Type Content-Length Last-Modified Content-Range; do
      [ "$uc" = 304 ] && [ $h != Last-Modified ] && continue
      [ "$(hdr "$tmp/u.hdr" $h)" = "$(hdr "$tmp/n.hdr" $h)" ] || why="$why $h '$(hdr "$tmp/u.hdr" $h)' vs '$(hdr "$tmp/n.hdr" $h)'"
    done
    [[ " $* " == *" -I "* ]] || cmp -s "$tmp/u.body" "$tmp/n.body" || why="$why body differs ($(stat -c %s "$tmp/u.body") vs $(stat -c %s "$tmp/n.body") bytes)"
  fi
  if [ -z "$why" ] && [ "$uc" = 416 ]; then
    [ "$(hdr "$tmp/u.hdr" Content-Range)" = "$(hdr "$tmp/n.hdr" Content-Range)" ] \
      || why="Content-Range '$(hdr "$tmp/u.hdr" Content-Range)' vs '$(hdr "$tmp/n.hdr" Content-Range)'"
  fi
  if [ -z "$why" ] && [ "$uc" = 301 ]; then
    local ul nl
    ul=$(hdr "$tmp/u.hdr" Location | sed 's|^https\?://[^/]*||') nl=$(hdr "$tmp/n.hdr" Location | sed 's|^https\?://[^/]*||')
    [ "$ul" = "$nl" ] || why="Location '$ul' vs '$nl'"
  fi
  [ -z "$why" ] && echo "PASS http.$label ($uc)" || echo "FAIL http.$label: $why"
}

raw() { # host port: sends stdin in one write, prints everything the server sends until it closes
  timeout 15 socat -t 5 -T 5 - "TCP:$1:$2" 2>/dev/null
}

normalize() { # drops Date, Server and fields only one server sends, and 404 responses (the
  # error pages differ in their signature line)
  tr -d '\r' | grep -v -i -E '^(date|server|accept-ranges|etag|keep-alive):' \
    | awk '/^HTTP\/1.1 404 / {skip = 1} !skip {print} skip && /^<\/html>$/ {skip = 0}'
}

held_open() { # ip port text: sends text, then prints how many ms the server keeps the connection
  local t0 t1
  t0=$(date +%s%N)
  (exec 3<>"/dev/tcp/$1/$2" && printf "$3" >&3 && timeout 12 cat <&3 >/dev/null) 2>/dev/null
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}

exercise() { # label host:port
  local l=$1 host=$2 ip=${2%:*} port=${2#*:} started=$SECONDS
  for p in / /index.html /style.css /img/logo.png /docs/ /docs/index.html /docs/notes.txt /big.bin \
           /missing /docs/missing.html /docs /img /img/ /index.html/ "/index.html?x=1" "/%64ocs/notes%2Etxt" \
           /docs/../index.html "/docs/./notes.txt" //docs//notes.txt; do
    compare "$l.get$p" "$host" "$p"
  done
  for p in / /style.css /docs/ /missing; do
    compare "$l.head$p" "$host" "$p" -I
  done
  local body
  body=$(printf 'HEAD /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' | raw "$ip" "$port" | tr -d '\r' | sed '1,/^$/d' | wc -c)
  [ "$body" = 0 ] && echo "PASS http.$l.head-sends-no-body" || echo "FAIL http.$l.head-sends-no-body: $body bytes after the head"

  compare "$l.ims-equal-304" "$host" /index.html -H "If-Modified-Since: $(date -u -d "@$lm" '+%a, %d %b %Y %H:%M:%S GMT')"
  compare "$l.ims-later-304" "$host" /style.css -H "If-Modified-Since: $(date -u -d "@$((lm + 3600))" '+%a, %d %b %Y %H:%M:%S GMT')"
  compare "$l.ims-earlier-200" "$host" /style.css -H "If-Modified-Since: $(date -u -d "@$((lm - 1))" '+%a, %d %b %Y %H:%M:%S GMT')"
  compare "$l.ims-garbage-200" "$host" /style.css -H "If-Modified-Since: yesterday"
  compare "$l.ims-head-304" "$host" /docs/ -I -H "If-Modified-Since: $(date -u -d "@$lm" '+%a, %d %b %Y %H:%M:%S GMT')"

  # Ranges, against nginx: one range in its three forms, clipped, past the end (416), from the
  # middle of the streamed big file.
  compare "$l.range-0-9-206" "$host" /style.css -r 0-9
  compare "$l.range-open-206" "$host" /style.css -r 5-
  compare "$l.range-suffix-206" "$host" /index.html -r -7
  compare "$l.range-clipped-206" "$host" /docs/notes.txt -r 3-100000
  compare "$l.range-past-end-416" "$host" /style.css -r 100000-
  compare "$l.range-big-middle-206" "$host" /big.bin -r 1000000-2999999
  # HEAD: Range is defined for GET only (RFC 9110 14.2); nginx would answer 206 here.
  fetch "$tmp/u" "$host" /style.css -I -r 0-9
  [ "$(cat "$tmp/u.code")" = 200 ] && echo "PASS http.$l.range-head-ignored-200" || echo "FAIL http.$l.range-head-ignored-200: $(cat "$tmp/u.code")"
  # Several ranges: nginx answers multipart/byteranges, we the whole file (README).
  fetch "$tmp/u" "$host" /style.css -r 0-1,4-5
  [ "$(cat "$tmp/u.code")" = 200 ] && cmp -s "$tmp/u.body" "$tmp/app/files/style.css" \
    && echo "PASS http.$l.range-several-whole-200" || echo "FAIL http.$l.range-several-whole-200: $(cat "$tmp/u.code")"
  # ETag (nginx runs with etag off, so these check the server against itself): a strong tag,
  # 304 for it, in a list, weak, or "*", 200 for another tag, and If-Range with it.
  local etag
  fetch "$tmp/u" "$host" /style.css
  etag=$(hdr "$tmp/u.hdr" ETag)
  [[ "$etag" == \"*\" ]] && echo "PASS http.$l.etag-strong ($etag)" || echo "FAIL http.$l.etag-strong: '$etag'"
  for inm in "$etag" "\"nope\", $etag" "W/$etag" "*"; do
    fetch "$tmp/u" "$host" /style.css -H "If-None-Match: $inm"
    [ "$(cat "$tmp/u.code")" = 304 ] && [ ! -s "$tmp/u.body" ] && [ "$(hdr "$tmp/u.hdr" ETag)" = "$etag" ] \
      && echo "PASS http.$l.if-none-match-304 ($inm)" || echo "FAIL http.$l.if-none-match-304 ($inm): $(cat "$tmp/u.code")"
  done
  fetch "$tmp/u" "$host" /style.css -H 'If-None-Match: "nope"' \
    -H "If-Modified-Since: $(date -u -d "@$lm" '+%a, %d %b %Y %H:%M:%S GMT')"
  [ "$(cat "$tmp/u.code")" = 200 ] && echo "PASS http.$l.if-none-match-other-200-over-ims" \
    || echo "FAIL http.$l.if-none-match-other-200-over-ims: $(cat "$tmp/u.code")"
  fetch "$tmp/u" "$host" /index.html -H "If-None-Match: $etag"
  [ "$(cat "$tmp/u.code")" = 200 ] && echo "PASS http.$l.etag-per-file" || echo "FAIL http.$l.etag-per-file: $(cat "$tmp/u.code")"
  fetch "$tmp/u" "$host" /style.css -r 0-3 -H "If-Range: $etag"
  [ "$(cat "$tmp/u.code")" = 206 ] && echo "PASS http.$l.if-range-current-206" || echo "FAIL http.$l.if-range-current-206: $(cat "$tmp/u.code")"
  fetch "$tmp/u" "$host" /style.css -r 0-3 -H 'If-Range: "old"'
  [ "$(cat "$tmp/u.code")" = 200 ] && echo "PASS http.$l.if-range-stale-200" || echo "FAIL http.$l.if-range-stale-200: $(cat "$tmp/u.code")"
  compare "$l.post-405" "$host" /index.html -X POST
  compare "$l.delete-405" "$host" /index.html -X DELETE
  fetch "$tmp/u" "$host" / -X PUT
  [ "$(hdr "$tmp/u.hdr" Allow)" = "GET, HEAD" ] && echo "PASS http.$l.405-has-allow" || echo "FAIL http.$l.405-has-allow: '$(hdr "$tmp/u.hdr" Allow)'"

  for p in /../../etc/passwd /%2e%2e/%2e%2e/etc/passwd /docs/../../etc/passwd "/docs/%2E%2E/%2e%2e/etc/passwd"; do
    compare "$l.traversal$p" "$host" "$p"
  done
  fetch "$tmp/u" "$host" "/..%2f..%2fetc%2fpasswd"
  [ "$(cat "$tmp/u.code")" = 400 ] && ! grep -q root: "$tmp/u.body" && echo "PASS http.$l.traversal-encoded-slash-400" \
    || echo "FAIL http.$l.traversal-encoded-slash-400: $(cat "$tmp/u.code")"
  fetch "$tmp/u" "$host" "/docs%2Fnotes.txt"
  [ "$(cat "$tmp/u.code")" = 400 ] && echo "PASS http.$l.encoded-slash-refused" || echo "FAIL http.$l.encoded-slash-refused: $(cat "$tmp/u.code")"

  compare "$l.uri-too-long-414" "$host" "/$(head -c 10000 /dev/zero | tr '\0' a)"
  local r
  r=$(printf 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n' | raw "$ip" "$port" | head -n1 | tr -d '\r')
  [[ "$r" == "HTTP/1.1 413 "* ]] && echo "PASS http.$l.body-too-large-413" || echo "FAIL http.$l.body-too-large-413: '$r'"
  r=$( (printf 'GET / HTTP/1.1\r\nHost: x\r\nX-Big: '; head -c 20000 /dev/zero | tr '\0' b; printf '\r\n\r\n') | raw "$ip" "$port" | head -n1 | tr -d '\r')
  [[ "$r" == "HTTP/1.1 431 "* ]] && echo "PASS http.$l.header-too-large-431" || echo "FAIL http.$l.header-too-large-431: '$r'"
  r=$(printf 'GET / HTTP/1.1\r\n\r\n' | raw "$ip" "$port" | head -n1 | tr -d '\r')
  [[ "$r" == "HTTP/1.1 400 "* ]] && echo "PASS http.$l.no-host-400" || echo "FAIL http.$l.no-host-400: '$r'"

  # Keep-alive: one curl, three URLs, one connection.
  local v
  v=$(curl -sv --max-time 10 -o /dev/null -o /dev/null -o /dev/null "http://$host/" "http://$host/style.css" "http://$host/docs/" 2>&1)
  [ "$(grep -c 'Re-using existing connection' <<<"$v")" = 2 ] && echo "PASS http.$l.keep-alive-reuses-connection" \
    || echo "FAIL http.$l.keep-alive-reuses-connection: $(grep -c 'Connected to' <<<"$v") connections"
  fetch "$tmp/u" "$host" / -H "Connection: close"
  [ "$(hdr "$tmp/u.hdr" Connection)" = close ] && echo "PASS http.$l.connection-close-honoured" || echo "FAIL http.$l.connection-close-honoured"
  v=$(curl -s -0 -v --max-time 10 -o /dev/null -o /dev/null "http://$host/" "http://$host/style.css" 2>&1)
  [ "$(grep -c 'Connected to' <<<"$v")" = 2 ] && grep -qi '< Connection: close' <<<"$v" && echo "PASS http.$l.http10-closes" \
    || echo "FAIL http.$l.http10-closes: $(grep -c 'Connected to' <<<"$v") connections"
  r=$(printf 'GET /docs/notes.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /docs/notes.txt HTTP/1.0\r\n\r\n' | raw "$ip" "$port" | grep -c '^HTTP/1.1 200')
  [ "$r" = 2 ] && echo "PASS http.$l.http10-keep-alive-asked" || echo "FAIL http.$l.http10-keep-alive-asked: $r responses"

  # Pipelining: five requests in one write; the normalized streams must equal nginx's.
  local pipe='GET /style.css HTTP/1.1\r\nHost: x\r\n\r\nHEAD /index.html HTTP/1.1\r\nHost: x\r\n\r\nGET /missing HTTP/1.1\r\nHost: x\r\n\r\nGET /docs/notes.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /docs/index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
  printf "$pipe" | raw 127.0.0.1 "$ngx_port" | normalize > "$tmp/pn"
  printf "$pipe" | raw "$ip" "$port" | normalize > "$tmp/pu"
  local order
  order=$(printf "$pipe" | raw "$ip" "$port" | grep -a '^HTTP/' | cut -d' ' -f2 | tr '\n' ' ')
  if [ "$order" = "200 200 404 200 200 " ] && cmp -s "$tmp/pu" "$tmp/pn"; then
    echo "PASS http.$l.pipelining-in-order"
  else
    echo "FAIL http.$l.pipelining-in-order: statuses '$order'; $(diff "$tmp/pu" "$tmp/pn" | head -n 4 | tr '\n' ' ')"
  fi
  # Many small requests in one write, more than one stage's worth of responses.
  r=$(for _ in $(seq 1 60); do printf 'GET /docs/notes.txt HTTP/1.1\r\nHost: x\r\n\r\n'; done | (cat; printf 'GET /style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n') \
      | raw "$ip" "$port" | tr -d '\r' | grep -c -E '^(HTTP/1.1 200 OK|Line two.)$')
  [ "$r" = 121 ] && echo "PASS http.$l.pipelining-61-requests" || echo "FAIL http.$l.pipelining-61-requests: $r lines"

  # Big file: four parallel downloads, and one slow reader (the server must wait, not buffer it).
  local want ok=1
  want=$(sha256sum < "$tmp/app/files/big.bin" | cut -d' ' -f1)
  local pids=()
  for i in 1 2 3 4; do curl -s --max-time 30 -o "$tmp/big$i" "http://$host/big.bin" & pids+=($!); done
  wait "${pids[@]}"
  for i in 1 2 3 4; do [ "$(sha256sum < "$tmp/big$i" | cut -d' ' -f1)" = "$want" ] || ok=0; done
  [ $ok = 1 ] && echo "PASS http.$l.big-file-4x-parallel-intact" || echo "FAIL http.$l.big-file-4x-parallel-intact"
  [ "$(curl -s --max-time 30 --limit-rate 2M "http://$host/big.bin" | sha256sum | cut -d' ' -f1)" = "$want" ] \
    && echo "PASS http.$l.big-file-slow-reader-intact" || echo "FAIL http.$l.big-file-slow-reader-intact"

  # A request dribbled in pieces is answered; clients that never read do not stall others.
  r=$( (printf 'GET /docs/notes.txt HT'; sleep 0.3; printf 'TP/1.1\r\nHo'; sleep 0.3; printf 'st: x\r\nConnection: close\r\n\r\n') \
      | raw "$ip" "$port" | head -n1 | tr -d '\r')
  [[ "$r" == "HTTP/1.1 200 OK" ]] && echo "PASS http.$l.request-in-pieces" || echo "FAIL http.$l.request-in-pieces: '$r'"
  pids=()
  for i in 1 2 3 4 5; do
    (exec 3<>"/dev/tcp/$ip/$port" && printf 'GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n' >&3 && sleep 3) 2>/dev/null &
    pids+=($!)
  done
  sleep 0.5
  r=$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://$host/style.css")
  wait "${pids[@]}"
  [ "$r" = 200 ] && echo "PASS http.$l.non-reading-clients-do-not-block" || echo "FAIL http.$l.non-reading-clients-do-not-block: '$r'"

  # Hostile clients: garbage, a stalled head, an idle connection. The server must close them
  # (header and idle timeouts are 3 s here) and keep serving.
  r=$(head -c 65536 /dev/urandom | raw "$ip" "$port" | head -n1 | tr -d '\r' | cut -c1-12)
  [[ "$r" == "HTTP/1.1 4"* || -z "$r" ]] && echo "PASS http.$l.garbage-refused" || echo "FAIL http.$l.garbage-refused: '$r'"
  held_open "$ip" "$port" 'GET / HTTP/1.1\r\nHost: x\r\n' > "$tmp/held-head" &
  pids=($!)
  held_open "$ip" "$port" '' > "$tmp/held-idle" &
  pids+=($!)
  wait "${pids[@]}"
  local ms
  ms=$(cat "$tmp/held-head")
  [ "$ms" -lt 8000 ] && echo "PASS http.$l.slow-head-closed ($ms ms)" || echo "FAIL http.$l.slow-head-closed: still open after $ms ms"
  ms=$(cat "$tmp/held-idle")
  [ "$ms" -lt 8000 ] && echo "PASS http.$l.idle-closed ($ms ms)" || echo "FAIL http.$l.idle-closed: still open after $ms ms"
  pids=()
  for i in $(seq 1 50); do
    printf 'GET /%s HTTP/1.1\r\nHost: x\r\n%s\r\n\r\n' "$(head -c 40 /dev/urandom | tr -dc 'a-z%./')" "$(head -c 60 /dev/urandom | tr -d '\0\r\n')" \
      | timeout 5 socat -t 1 -T 2 - "TCP:$ip:$port" >/dev/null 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}"
  [ "$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://$host/")" = 200 ] && echo "PASS http.$l.alive-after-abuse" \
    || echo "FAIL http.$l.alive-after-abuse"
  echo "INFO http.$l: exercised in $((SECONDS - started)) s"
}

# The unikernel on proc.
name=$prefix-proc
if err=$($unf run -d --name "$name" --platform proc "$tmp/http.unf" 2>&1 >/dev/null); then
  ip=$($unf inspect "$name" | jq -r '.ip // empty')
  if up "$ip:80"; then
    echo "PASS http.proc.serves ($ip)"
    exercise proc "$ip:80"
    $unf logs "$name" | grep -q "http: listening on $ip port 80" && echo "PASS http.proc.console-log" \
      || echo "FAIL http.proc.console-log: $($unf logs "$name" | head -c 200)"
    $unf ps | grep -q "^$name .*running" && echo "PASS http.proc.still-running" || echo "FAIL http.proc.still-running"
  else
    echo "FAIL http.proc.serves: no answer from $ip:80; $($unf logs "$name" 2>&1 | tail -n 3 | tr '\n' ' ')"
  fi
  $unf rm -f "$name" >/dev/null
else
  echo "FAIL http.proc.run: $err"
fi

# The native build of the same source, on loopback.
UNF_FILES="$tmp/files.tar" build/native/http --port "$nat_port" --last-modified "$lm" --idle-timeout 3 --header-timeout 3 \
  > "$tmp/native.log" 2>&1 &
nat_pid=$!
if up "127.0.0.1:$nat_port"; then
  echo "PASS http.native.serves"
  exercise native "127.0.0.1:$nat_port"
  kill -0 "$nat_pid" 2>/dev/null && echo "PASS http.native.still-running" || echo "FAIL http.native.still-running"
else
  echo "FAIL http.native.serves: $(head -c 200 "$tmp/native.log")"
fi

# The native build under ASan + UBSan, through the same exercise: any report fails.
if [ -x build/native-asan/http ]; then
  UNF_FILES="$tmp/files.tar" ASAN_OPTIONS=detect_leaks=0 build/native-asan/http --port "$asan_port" --last-modified "$lm" \
    --idle-timeout 3 --header-timeout 3 > "$tmp/asan.log" 2>&1 &
  asan_pid=$!
  if up "127.0.0.1:$asan_port"; then
    exercise native-asan "127.0.0.1:$asan_port"
    grep -q -E 'ERROR: AddressSanitizer|runtime error' "$tmp/asan.log" \
      && echo "FAIL http.native-asan.sanitizer-clean: $(grep -m1 -E 'ERROR: AddressSanitizer|runtime error' "$tmp/asan.log")" \
      || echo "PASS http.native-asan.sanitizer-clean"
  else
    echo "FAIL http.native-asan.serves: $(head -c 200 "$tmp/asan.log")"
  fi
else
  echo "SKIP http.native-asan: build/native-asan/http not built (make native)"
fi

# A smoke run of the virtio kernel under QEMU (TCG here: slow, so only a page and the big file).
name=$prefix-microvm
started=$SECONDS
if err=$($unf run -d --name "$name" --platform qemu-microvm "$tmp/http.unf" 2>&1 >/dev/null); then
  ip=$($unf inspect "$name" | jq -r '.ip // empty')
  for _ in $(seq 1 200); do curl -s -o /dev/null --max-time 1 "http://$ip/" && break; sleep 0.1; done
  compare qemu-microvm.get/ "$ip" /
  compare qemu-microvm.get/big.bin "$ip" /big.bin
  echo "INFO http.qemu-microvm: booted and served in $((SECONDS - started)) s"
  $unf rm -f "$name" >/dev/null
else
  echo "FAIL http.qemu-microvm.run: $err"
fi
