#!/usr/bin/env bash
# mbsync (isync) pulling one lab folder into a fresh local Maildir: the "≥ 1× mbsync" reference of the connector
# benchmark. Prints one JSON result line (via measure.py: wall, CPU and peak RSS of mbsync).
#
#   bench/mbsync_pull.sh --lab DIR [--user soc@lab.test] [--folder Bench] [--port P] [--label L]
#
# --port defaults to LAB_IMAPS_PORT (give a delay proxy's port to measure through it). The local copy is written
# under a temporary directory that is removed afterwards; msgs/bytes are counted from it. mbsync checks only DNS
# names against the certificate, so it connects to "localhost" (in the lab certificate's SAN) = 127.0.0.1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lab=${EMAILV2_LAB_DIR:-} user=soc@lab.test folder=Bench port= label=
while [[ $# -gt 0 ]]; do
  case $1 in
    --lab) lab=$2; shift 2 ;;
    --user) user=$2; shift 2 ;;
    --folder) folder=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --label) label=$2; shift 2 ;;
    *) echo "mbsync_pull.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -n $lab && -f $lab/lab.env ]] || { echo "mbsync_pull.sh: no lab (--lab DIR)" >&2; exit 2; }
command -v mbsync >/dev/null || { echo "mbsync_pull.sh: mbsync not installed (apt-get install isync)" >&2; exit 3; }

value() { python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import benchlib
env = benchlib.lab_env(sys.argv[2])
print(benchlib.user_password(env, sys.argv[4]) if sys.argv[3] == "PASS" else env[sys.argv[3]])' "$here" "$lab" "$@"; }
port=${port:-$(value LAB_IMAPS_PORT)}
work=$(mktemp -d /tmp/emailv2-mbsync.XXXXXX)
trap 'rm -rf "$work"' EXIT
umask 077
value PASS "$user" >"$work/pass"
mkdir -p "$work/local"
cat >"$work/mbsyncrc" <<RC
IMAPAccount lab
Host localhost
Port $port
User $user
PassCmd "cat $work/pass"
SSLType IMAPS
CertificateFile $(value LAB_CA)
PipelineDepth 50

IMAPStore remote
Account lab

MaildirStore local
Path $work/local/
Inbox $work/local/INBOX
SubFolders Verbatim

Channel bench
Far :remote:
Near :local:
Patterns "$folder"
Create Near
Sync Pull New
SyncState *
RC
result=$(python3 "$here/measure.py" --bench imap_fetch --impl mbsync --label "$label" -- \
  mbsync -c "$work/mbsyncrc" -q bench)
# Count what arrived and fill msgs/bytes in the result line.
python3 - "$work/local" "$result" <<'PY'
import json, os, sys
root, line = sys.argv[1], json.loads(sys.argv[2])
msgs = nbytes = 0
for base, _, files in os.walk(root):
    if os.path.basename(base) in ("cur", "new"):
        for f in files:
            msgs += 1
            nbytes += os.path.getsize(os.path.join(base, f))
s = line["seconds"]
line.update(msgs=msgs, bytes=nbytes, msgs_per_s=round(msgs / s, 1), mb_per_s=round(nbytes / s / 1048576, 2))
print(json.dumps(line))
PY
