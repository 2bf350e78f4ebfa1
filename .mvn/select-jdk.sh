# shellcheck shell=sh
# Sourced by ./mvnw, ./ast2graph and .ci/run: exports JAVA_HOME pointing at a JDK 21 or newer.
#
# Order: $JAVA_HOME if it is 21+, then `java` on the PATH if it is 21+, then the newest 21+ JDK found in the
# usual install folders (/usr/lib/jvm, /usr/local/lib/jvm, /opt, SDKMAN, macOS). Fails with a clear message
# when there is none, because --release 21 cannot be compiled by an older javac.

ast2graph_jdk_major() { # $1 = JDK home; prints its feature version (17, 21, 25...) or nothing
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1
  elif [ -x "$1/bin/java" ]; then
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1
  fi
}

ast2graph_select_jdk() {
  ast2graph_min=21
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(ast2graph_jdk_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$ast2graph_min" ]; then return 0; fi
  fi
  if command -v javac >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(ast2graph_jdk_major "$home")
    if [ -n "$v" ] && [ "$v" -ge "$ast2graph_min" ]; then JAVA_HOME=$home; export JAVA_HOME; return 0; fi
  fi
  best=""; best_v=0
  for home in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* /opt/*jdk* \
              "$HOME"/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$home/bin/javac" ] || continue
    v=$(ast2graph_jdk_major "$home")
    [ -n "$v" ] || continue
    if [ "$v" -ge "$ast2graph_min" ] && [ "$v" -gt "$best_v" ]; then best=$home; best_v=$v; fi
  done
  if [ -n "$best" ]; then JAVA_HOME=$best; export JAVA_HOME; return 0; fi
  echo "ast2graph: no JDK $ast2graph_min or newer found (JAVA_HOME=${JAVA_HOME:-unset}, java on PATH: $(command -v java || echo none))." >&2
  echo "ast2graph: install one (e.g. Temurin 21/25) or point JAVA_HOME at it." >&2
  return 1
}
