#!/bin/bash
# End-to-end check of the terminal UI: drives the real binary in a private tmux server
# (`strata demo`), moves, filters, reveals, resizes and quits, and checks the screen and the
# exit code. Prints "N passed, M failed"; exits non-zero when something failed.
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug/strata}
[ -x "$BIN" ] || { echo "no $BIN: run 'swift build' first"; echo "0 passed, 1 failed"; exit 1; }
command -v tmux >/dev/null || { echo "tmux is not installed (apt-get install tmux)"; echo "0 passed, 1 failed"; exit 1; }

S=strata-e2e-$$
T="tmux -L strata-e2e-$$"
# Ends the session and waits for its server to be gone: killing the last session makes the
# server exit, and a new session started while it is still exiting fails ("server exited
# unexpectedly").
restart_session() {
    $T kill-server 2>/dev/null
    for _ in $(seq 50); do $T ls >/dev/null 2>&1 || return 0; sleep 0.1; done
}
LOG=$(mktemp -d)/tui.log
DEMO=$(mktemp -d)/demo
passed=0
failed=0
screen() { $T capture-pane -p -t "$S" 2>/dev/null; }
wait_for() {   # wait_for TEXT [tenths of a second]
    local i=0
    until screen | grep -qF -- "$1"; do
        sleep 0.1; i=$((i + 1)); [ "$i" -ge "${2:-60}" ] && return 1
    done
    return 0
}
wait_gone() {
    local i=0
    while screen | grep -qF -- "$1"; do
        sleep 0.1; i=$((i + 1)); [ "$i" -ge "${2:-60}" ] && return 1
    done
    return 0
}
check() {      # check NAME COMMAND…
    local name=$1; shift
    if "$@"; then
        passed=$((passed + 1)); echo "ok   $name"
    else
        failed=$((failed + 1)); echo "FAIL $name"; screen | sed 's/^/   | /'
    fi
}
keys() { $T send-keys -t "$S" "$@"; }

$T -u new-session -d -s "$S" -x 120 -y 34 \
    -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e SWIFT_BACKTRACE=interactive=no -e STRATA_TUI_LOG="$LOG" \
    "$BIN demo --folder '$DEMO'; echo EXIT=\$?; sleep 30"

check "first frame shows the panes"          wait_for "Variables & connections" 100
check "the first deployment is active"       wait_for "▶ local"
check "tiers load and the list fills"        wait_for "my_postgres"
check "the status line shows tier health"    wait_for "metastore ✓"

keys g
check "g goes to the first row"              wait_for "4 aws_default"
keys j
check "j moves the selection"                wait_for "4 broken_api"
keys /
check "/ opens the filter prompt"            wait_for "Enter keep"
$T send-keys -t "$S" -l "postgres"
check "typing narrows the list"              wait_for "/postgres"
check "the filtered row is selected"         wait_for "4 my_postgres"
check "its password is masked by default"    bash -c "$T capture-pane -p -t $S | grep -F 'password' | grep -qF '••••••••'"
keys Enter
check "Enter keeps the filter"               wait_gone "Enter keep"
keys x
check "x reveals the password"               wait_for "backend-password"
keys Escape
check "Esc clears the filter"                wait_for "数据仓库"
check "the cursor stays on the revealed entry" wait_for "4 my_postgres revealed"
keys j
check "the value masks again when the cursor moves" wait_gone "backend-password"
keys ?
check "? opens the help overlay"             wait_for "Help Esc closes"
keys Escape
check "Esc closes the help"                  wait_gone "Help Esc closes"
keys c
check "c opens the tier comparison"          wait_for "Compare tiers · local"
keys d
check "d keeps only differing rows"          wait_for "filter: differing"
keys Escape
check "Esc closes the comparison"            wait_gone "Compare tiers"
keys :
$T send-keys -t "$S" -l "compare local staging"
keys Enter
check ":compare shows deployments side by side" wait_for "Compare deployments · local · staging" 100
keys q
check "q closes the comparison, not the app" wait_gone "Compare deployments"
keys :
$T send-keys -t "$S" -l "deployment staging"
keys Enter
check ":deployment switches deployment"      wait_for "▶ staging"
check "control characters in values stay inert" bash -c "! $T capture-pane -p -e -t $S | grep -q $'\e\\[2J'"
$T resize-window -t "$S" -x 50 -y 12
check "a tiny terminal says so"              wait_for "terminal too small"
$T resize-window -t "$S" -x 100 -y 30
check "growing again redraws the panes"      wait_for "Variables & connections"
keys q
check "q quits with exit code 0"             wait_for "EXIT=0" 50
check "the terminal is restored after quit"  bash -c "! $T capture-pane -p -t $S | grep -qF 'Variables & connections'"
if [ -f "$LOG" ]; then
    first=$(grep -o 'first frame [0-9]* ms' "$LOG" | head -1)
    [ -n "$first" ] && echo "     ($first after launch, from $LOG)"
    check "the log holds no secret values"  bash -c "! grep -qE 'backend-password|env-password|xoxb-demo-token|tok_demo' '$LOG'"
fi

# Editing: fix broken_api's URI in the env tier, stage, save, and see the new value win.
restart_session
$T -u new-session -d -s "$S" -x 120 -y 34 \
    -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e SWIFT_BACKTRACE=interactive=no -e STRATA_TUI_LOG="$LOG" \
    "$BIN demo --folder '$DEMO'; echo EXIT=\$?; sleep 30"
wait_for "metastore ✓" 100 >/dev/null
keys g j
check "edit: the broken connection is selected"  wait_for "4 broken_api"
keys e
check "e opens the connection editor"          wait_for "Edit conn:broken_api"
check "the editor shows the URI line"          wait_for "URI          http://api.example.com/v1"
keys t
check "t lists the tiers to write to"          wait_for "Write conn:broken_api to"
keys g j Enter
check "the env tier is picked"                 wait_for "write to     env"
keys Enter C-u
$T send-keys -t "$S" -l "http://user:pass@api-fixed.example.com:8080/v1"
check "typing the URI fills the host field"    wait_for "host         api-fixed.example.com"
check "the password field stays masked"        bash -c "$T capture-pane -p -t $S | grep -F 'password' | grep -qF '••••••••'"
keys Enter s
check "s stages the change with its diff"      wait_for "host       (unset) → api-fixed.example.com"
check "nothing is written while staged"        bash -c "! grep -q 'api-fixed' '$DEMO/local-astro/.env'"
keys s
check "s saves it to the env file"             wait_for "updated AIRFLOW_CONN_BROKEN_API" 100
check "the env file holds the new URI"         grep -qF "AIRFLOW_CONN_BROKEN_API=http://user:pass@api-fixed.example.com:8080/v1" "$DEMO/local-astro/.env"
keys Escape
check "after reload env supplies the value"    wait_for "supplied by  env" 100
check "the detail shows the new host"          wait_for "host         api-fixed.example.com"
keys @
check "@ lists the write in the operations log" wait_for "conn:broken_api → AIRFLOW_CONN_BROKEN_API"
keys Escape
sed -i 's/api-fixed.example.com/api-outside.example.com/' "$DEMO/local-astro/.env"
keys R
check "R reads the env file again"             wait_for "host         api-outside.example.com" 100
keys q
check "q quits with exit code 0 after a save"  wait_for "EXIT=0" 50
check "the log holds no secret values after editing" bash -c "! grep -qE 'backend-password|env-password|xoxb-demo-token|tok_demo|user:pass' '$LOG'"

# Read-only: every edit is refused with a clear message, and the edit hints are hidden.
restart_session
$T -u new-session -d -s "$S" -x 120 -y 34 -e LANG=C.UTF-8 -e LC_ALL=C.UTF-8 -e SWIFT_BACKTRACE=interactive=no \
    "$BIN demo --read-only --folder '$DEMO'; echo EXIT=\$?; sleep 30"
wait_for "metastore ✓" 100 >/dev/null
check "read-only: the status line says so"     wait_for "read-only local"
check "read-only: no edit hint"                bash -c "! $T capture-pane -p -t $S | grep -qF 'e edit'"
keys e
check "read-only: e is refused with the reason" wait_for "started with --read-only; nothing is written"
check "read-only: no editor opens"             bash -c "! $T capture-pane -p -t $S | grep -qF 'Edit conn:'"
keys q
check "read-only: q quits with exit code 0"    wait_for "EXIT=0" 50

# Ctrl-C restores the terminal too and exits cleanly.
restart_session
$T -u new-session -d -s "$S" -x 100 -y 30 -e LANG=C.UTF-8 -e SWIFT_BACKTRACE=interactive=no \
    "$BIN demo --folder '$DEMO'; echo EXIT=\$?; stty -a | tr ' ' '\n' | grep -x -e echo -e icanon | tr '\n' ' '; echo; sleep 30"
wait_for "my_postgres" 100 >/dev/null
keys C-c
check "Ctrl-C quits"                         wait_for "EXIT=0" 50
check "Ctrl-C leaves echo and icanon on"     wait_for "icanon echo"

$T kill-server 2>/dev/null
rm -rf "$DEMO" "$(dirname "$LOG")"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
