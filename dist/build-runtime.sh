#!/usr/bin/env bash
# Builds the self-contained distribution: a Java runtime cut to the modules Weft uses (jlink), the runnable
# jar and a launcher, as TARGET/weft-VERSION-linux-x64.tar.gz. Called by `./mvnw package -Pjlink` (dist/pom.xml)
# after the jar is built:  build-runtime.sh JAVA_HOME TARGET VERSION
set -euo pipefail
java_home="$1" target="$2" version="$3"
name="weft-$version-linux-x64"
stage="$target/$name"
rm -rf "$stage" "$target/$name.tar.gz"
mkdir -p "$stage/lib" "$stage/bin"
# The modules the server and its libraries need (java.sql: SQLite JDBC; jdk.unsupported: Netty's Unsafe;
# java.management/jdk.management: JVM metrics; java.naming/jdk.naming.dns: Netty's DNS and logback;
# java.net.http: JWKS; jdk.crypto.ec: EC keys on JDK 21; java.xml: logback.xml).
"$java_home/bin/jlink" --output "$stage/runtime" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 \
  --add-modules java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,java.desktop,java.security.jgss,jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs
cp "$target/weft.jar" "$stage/lib/weft.jar"
cat > "$stage/bin/weft" <<'LAUNCHER'
#!/bin/sh
# Runs Weft on the runtime shipped beside it:  bin/weft serve [--config FILE] [--port N] ...
# Extra JVM flags: WEFT_JAVA_OPTS (e.g. -Xmx1g).
home="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck disable=SC2086 # WEFT_JAVA_OPTS is a list of flags
exec "$home/runtime/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  ${WEFT_JAVA_OPTS:-} -jar "$home/lib/weft.jar" "$@"
LAUNCHER
chmod 755 "$stage/bin/weft"
tar -C "$target" -czf "$target/$name.tar.gz" "$name"
echo "weft: built $target/$name.tar.gz ($(du -sh "$stage/runtime" | cut -f1) runtime)"
