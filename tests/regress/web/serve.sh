# serve.sh - sourced by the web tests after lib.sh, once $DB exists: one
# mamori server on a free loopback port, and st() to call it.

freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# serve_start [NAME=VALUE...]: "mamori serve" on $DB at a free port of
# 127.0.0.1 (with those variables in its environment); sets PORT, B (the
# base URL) and PID, appends its stderr to $TMP/server.log, and returns
# once it answers (or after 10 s, when the first check will fail).
serve_start() {
	PORT=$(freeport)
	B=http://127.0.0.1:$PORT
	env "$@" "$MAMORI" serve --db "$DB" --listen "127.0.0.1:$PORT" 2>> "$TMP/server.log" &
	PID=$!
	i=0
	until curl -s -o /dev/null "$B/login" || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
}

# st OUT JAR METHOD PATH [curl args...]: the status code; body in OUT,
# headers in OUT.h, cookies kept in JAR.
st() {
	out=$1; jar=$2; meth=$3; path=$4; shift 4
	curl -s -o "$out" -D "$out.h" -w '%{http_code}' -b "$jar" -c "$jar" \
		-X "$meth" "$@" "$B$path"
}
