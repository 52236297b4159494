#!/usr/bin/env bash
# After a failure already explained in Vietnamese, stop the make whose pid is $1 without make's own
# English «make: *** [...] Error N» line: make says nothing when it is interrupted (SIGINT) while the
# step it waits for ends well; it then exits with 130, still a failure. Where make ignores SIGINT
# (started in the background by a non-interactive shell), or off Linux, fail as usual (exit 2).
make_pid=$1
ignored=$(awk '/^SigIgn:/ {print $2}' "/proc/$make_pid/status" 2>/dev/null) || ignored=
if [[ -n $ignored ]] && (( (0x$ignored & 2) == 0 )) && kill -INT "$make_pid" 2>/dev/null; then
  exec sleep 0.2
fi
exit 2
