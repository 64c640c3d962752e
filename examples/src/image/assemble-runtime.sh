#!/usr/bin/env bash
# The example worker image's base, assembled from the JDK that runs the build, so that the image builds without a
# registry or a Docker daemon: a jlink'd Java runtime under /opt/java/openjdk (where the Temurin images have it),
# the C libraries it links against (as ldd finds them on this machine, at the same paths), and an /etc/passwd that
# names the image's non-root user. Jib (examples/pom.xml) adds it to a scratch base as one layer.
# Usage: assemble-runtime.sh JAVA_HOME OUTPUT_DIRECTORY
set -euo pipefail
java_home="$1"
out="$2"

# What the example worker and its dependencies use (jdeps --print-module-deps over example-worker.jar and lib/),
# and TLS's elliptic curves and zip file systems, which are loaded as services and so escape jdeps.
modules=java.base,java.compiler,java.desktop,java.instrument,java.management,java.naming,java.net.http,java.prefs
modules+=,java.rmi,java.scripting,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.jfr
modules+=,jdk.management,jdk.unsupported,jdk.zipfs

rm -rf "$out"
mkdir -p "$out/opt/java" "$out/etc"
"$java_home/bin/jlink" --add-modules "$modules" --output "$out/opt/java/openjdk" \
    --strip-debug --no-header-files --no-man-pages --compress=2 2>/dev/null

# Every shared library the runtime's binaries need, and the dynamic loader; not those of AWT's, sound's and fonts'
# native code (java.desktop is here for java.beans), which a headless worker never loads.
find "$out/opt/java/openjdk" -type f \( -name '*.so' -o -perm -u+x \) \
        -not \( -name '*awt*' -o -name '*splash*' -o -name '*jsound*' -o -name '*font*' -o -name '*lcms*' \
        -o -name '*jpeg*' -o -name '*mlib*' \) -print0 \
    | xargs -0 ldd 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' \
    | sort -u \
    | while read -r library; do
        case "$library" in "$out"/*) continue ;; esac
        mkdir -p "$out$(dirname "$library")"
        cp -L "$library" "$out$library"
    done

printf 'root:x:0:0:root:/root:/sbin/nologin\nworker:x:65532:65532:pipeline-worker:/home/worker:/sbin/nologin\n' \
    >"$out/etc/passwd"
printf 'root:x:0:\nworker:x:65532:\n' >"$out/etc/group"
# Mount points: the runtime mounts /proc and /dev, the deployment /tmp and the journal.
mkdir -p "$out/proc" "$out/dev" "$out/tmp" "$out/home/worker" "$out/var/lib/pipeline-worker/journal"
