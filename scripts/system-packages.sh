#!/bin/sh
# The Debian packages `make run` and `make test` need: each argument is "package:check", where
# check is a shell command that succeeds when the package's part is already there. As root the
# missing packages are installed with apt-get; otherwise they are named and make stops.
missing=""
for spec in "$@"; do
  package=${spec%%:*}
  check=${spec#*:}
  sh -c "$check" >/dev/null 2>&1 || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installo i pacchetti Debian che mancano:$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
  echo "Mancano questi pacchetti di sistema:$missing"
  echo "Installali e ripeti il comando:  sudo apt-get install$missing"
  exit 1
fi
