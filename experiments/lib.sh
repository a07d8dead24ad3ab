# Shell helpers shared by the experiment scripts (sourced, not run). The caller sets RUN, the results folder whose
# COMMANDS.txt records the command history.

# prints a line with a UTC time stamp
say() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }
# runs one command, appending it to $RUN/COMMANDS.txt first
cmd() { printf '%s\n' "$*" >> "$RUN/COMMANDS.txt"; say "\$ $*"; "$@"; }
